namespace StreamMasking.Runtime.Diagnostics;

/// <summary>What one restore of a (store, partition) did, for metrics and logs.</summary>
/// <param name="Store">Store name.</param>
/// <param name="Partition">Input (and changelog) partition.</param>
/// <param name="StartOffset">First changelog offset read (the checkpoint, or the log start when restoring from scratch).</param>
/// <param name="EndOffset">Offset the restore caught up to (the last stable offset when it started).</param>
/// <param name="RecordsRestored">Changelog records applied (puts and tombstones).</param>
/// <param name="Duration">Wall time the restore took.</param>
/// <param name="FromScratch">True when local state was wiped (no directory, no or invalid checkpoint).</param>
internal readonly record struct StoreRestoreResult(
    string Store, int Partition, long StartOffset, long EndOffset, long RecordsRestored, TimeSpan Duration, bool FromScratch);

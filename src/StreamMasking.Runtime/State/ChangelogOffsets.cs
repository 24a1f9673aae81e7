namespace StreamMasking.Runtime.State;

/// <summary>The offsets of one changelog partition that a restore depends on.</summary>
/// <param name="LogStart">First offset still in the log.</param>
/// <param name="StableEnd">
/// The last stable offset (LSO): what a read_committed consumer can read up to, i.e. the first offset of the oldest
/// open transaction, or the high watermark when none is open.
/// </param>
/// <param name="HighWatermark">The end of the log including records of open transactions.</param>
internal readonly record struct ChangelogOffsets(long LogStart, long StableEnd, long HighWatermark)
{
    /// <summary>
    /// True when no transaction is open below the high watermark (as queried before the LSO): every record written
    /// so far is decided, so restoring up to <see cref="StableEnd"/> misses no committed write.
    /// </summary>
    internal bool IsStable => StableEnd >= HighWatermark;
}

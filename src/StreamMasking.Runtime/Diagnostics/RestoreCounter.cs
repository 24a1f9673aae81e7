namespace StreamMasking.Runtime.Diagnostics;

/// <summary>Counts finished restores in <see cref="PipelineCounters"/> and forwards every restore event to its observer.</summary>
internal sealed class RestoreCounter(PipelineCounters counters) : IStateRestoreObserver
{
    public void OnRestoreStarted(string store, int partition, long startOffset, long endOffset) =>
        counters.Observer?.OnRestoreStarted(store, partition, startOffset, endOffset);

    public void OnBatchRestored(string store, int partition, long totalRestored, long position) =>
        counters.Observer?.OnBatchRestored(store, partition, totalRestored, position);

    public void OnRestoreCompleted(StoreRestoreResult result)
    {
        counters.CountRestore(result.RecordsRestored, result.Duration);
        counters.Observer?.OnRestoreCompleted(result);
    }
}

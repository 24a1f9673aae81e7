using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Tests.State;

/// <summary>Keeps every restore notification for assertions.</summary>
internal sealed class RecordingRestoreObserver : IStateRestoreObserver
{
    internal List<(string Store, int Partition, long Start, long End)> Started { get; } = [];

    internal List<StoreRestoreResult> Completed { get; } = [];

    internal long BatchesRestored { get; private set; }

    public void OnRestoreStarted(string store, int partition, long startOffset, long endOffset) =>
        Started.Add((store, partition, startOffset, endOffset));

    public void OnBatchRestored(string store, int partition, long totalRestored, long position) => BatchesRestored++;

    public void OnRestoreCompleted(StoreRestoreResult result) => Completed.Add(result);
}

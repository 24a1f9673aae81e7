using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Storage;

/// <summary>What a fetch reads from one partition: whole batches plus the partition's offsets at read time.</summary>
internal sealed record FetchSlice(
    ErrorCode Error,
    IReadOnlyList<LogBatch> Batches,
    long HighWatermark,
    long LastStableOffset,
    long LogStartOffset,
    IReadOnlyList<AbortedTransaction>? AbortedTransactions)
{
    public int SizeInBytes => Batches.Sum(b => b.SizeInBytes);
}

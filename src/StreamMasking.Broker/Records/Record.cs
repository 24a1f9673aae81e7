namespace StreamMasking.Broker.Records;

/// <summary>One record of a batch (record format v2). <see cref="Value"/> null is a tombstone.</summary>
internal sealed record Record(
    int OffsetDelta,
    long TimestampDelta,
    ReadOnlyMemory<byte>? Key,
    ReadOnlyMemory<byte>? Value,
    IReadOnlyList<RecordHeader> Headers);

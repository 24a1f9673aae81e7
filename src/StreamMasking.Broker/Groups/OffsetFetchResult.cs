using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Groups;

/// <summary>One partition of an OffsetFetch answer; offset -1 when nothing is committed.</summary>
internal sealed record OffsetFetchResult(TopicPartitionKey Partition, long Offset, int LeaderEpoch, string? Metadata, ErrorCode ErrorCode);

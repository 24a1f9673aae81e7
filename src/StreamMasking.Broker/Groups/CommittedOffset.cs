namespace StreamMasking.Broker.Groups;

/// <summary>A committed consumer position: the next offset to read, not the last one read.</summary>
internal sealed record CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);

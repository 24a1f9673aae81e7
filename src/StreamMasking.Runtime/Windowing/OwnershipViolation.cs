namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// A broken ownership invariant of the DP state: the stage stops with <see cref="Message"/>, which names the topic
/// and the segment. <see cref="Code"/> is a stable snake_case code (audit and logs).
/// </summary>
internal sealed record OwnershipViolation(string Code, string Topic, string? Segment, int Partition, string Message)
{
    /// <summary>The input topic's partition count differs from the one the state was kept for.</summary>
    internal const string PartitionCountChanged = "partition_count_changed";

    /// <summary>A segment's records or state are on a partition other than the one its key maps to.</summary>
    internal const string SegmentOnWrongPartition = "segment_on_wrong_partition";

    /// <summary>The state was written for another input topic.</summary>
    internal const string StateOfOtherTopic = "state_of_other_topic";

    /// <summary>The persisted ownership record cannot be read, or the topic layout cannot be verified.</summary>
    internal const string Unverifiable = "ownership_unverifiable";
}

namespace StreamMasking.Runtime.State;

/// <summary>
/// A changelog partition kept a transaction open for longer than the restore may wait: restoring up to its last
/// stable offset could miss committed writes of later owners, so the store is not opened (fail closed).
/// </summary>
internal sealed class ChangelogUnstableException : IOException
{
    internal ChangelogUnstableException(string topic, int partition, ChangelogOffsets offsets, TimeSpan waited)
        : base($"Changelog {topic}[{partition}] still has a transaction open at offset {offsets.StableEnd} "
            + $"(high watermark {offsets.HighWatermark}) after waiting {waited.TotalSeconds:0} s; its stores are not "
            + "restored and the partition is not processed. A frozen or partitioned former owner holds it; the broker "
            + "aborts it when its transaction timeout expires.")
    {
        Topic = topic;
        Partition = partition;
        Offsets = offsets;
    }

    internal string Topic { get; }

    internal int Partition { get; }

    internal ChangelogOffsets Offsets { get; }
}

namespace StreamMasking.Runtime.Configuration;

/// <summary>Provisioning of the output and internal topics (<c>StreamMasking:Topics</c>).</summary>
public sealed class TopicOptions
{
    /// <summary>
    /// Create the masked, repartition and dead-letter topics at start through the admin API (existing topics are
    /// left as they are). The default value is <c>true</c>.
    /// </summary>
    public bool Provision { get; set; } = true;

    /// <summary>
    /// Also create the input topics (with <see cref="Partitions"/> partitions). Meant for the demo and tests; in
    /// production the input topics belong to their producers. The default value is <c>false</c>.
    /// </summary>
    public bool ProvisionInputTopics { get; set; }

    /// <summary>Partition count of the repartition and masked topics it creates. The default value is 6.</summary>
    public int Partitions { get; set; } = 6;

    /// <summary>
    /// <c>retention.ms</c> of the repartition topic it creates (<c>cleanup.policy=delete</c>). Records are purged as
    /// soon as stage "mask" committed past them; retention bounds how long raw records stay when it cannot (stopped,
    /// lagging), so it must exceed the longest outage of stage "mask": older records are deleted unprocessed. The
    /// default value is 7 days.
    /// </summary>
    public TimeSpan RepartitionRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// <c>retention.bytes</c> per partition of the repartition topic it creates; -1 bounds by time only. The default
    /// value is -1.
    /// </summary>
    public long RepartitionRetentionBytes { get; set; } = -1;

    /// <summary>Replication factor of the topics it creates; -1 takes the broker default. The default value is -1.</summary>
    public short ReplicationFactor { get; set; } = -1;
}

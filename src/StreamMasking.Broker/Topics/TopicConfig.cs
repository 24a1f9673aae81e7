using System.Globalization;

namespace StreamMasking.Broker.Topics;

/// <summary>
/// Per-topic configuration: the topic's overrides over <see cref="Defaults"/>. Only the keys in
/// <see cref="Defaults"/> are accepted by CreateTopics (others get INVALID_CONFIG, as Kafka does for unknown keys).
/// </summary>
internal sealed class TopicConfig
{
    public const string CleanupPolicy = "cleanup.policy";
    public const string RetentionMs = "retention.ms";
    public const string RetentionBytes = "retention.bytes";
    public const string SegmentBytes = "segment.bytes";
    public const string SegmentMs = "segment.ms";
    public const string DeleteRetentionMs = "delete.retention.ms";
    public const string MessageTimestampType = "message.timestamp.type";
    public const string MaxMessageBytes = "max.message.bytes";
    public const string MinCompactionLagMs = "min.compaction.lag.ms";
    public const string CompressionType = "compression.type";
    public const string MinInsyncReplicas = "min.insync.replicas";
    public const string IndexIntervalBytes = "index.interval.bytes";

    /// <summary>
    /// Defaults. Retention is unbounded (-1) by default, unlike Kafka's 7 days: a local broker must never lose
    /// data silently.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [CleanupPolicy] = "delete",
        [RetentionMs] = "-1",
        [RetentionBytes] = "-1",
        [SegmentBytes] = "1073741824",
        [SegmentMs] = "604800000",
        [DeleteRetentionMs] = "86400000",
        [MessageTimestampType] = "CreateTime",
        [MaxMessageBytes] = "1048588",
        [MinCompactionLagMs] = "0",
        [CompressionType] = "producer",
        [MinInsyncReplicas] = "1",

        // Kafka topic configs accepted and described for compatibility; they have no effect on a single local node.
        ["max.compaction.lag.ms"] = "9223372036854775807",
        ["min.cleanable.dirty.ratio"] = "0.5",
        ["unclean.leader.election.enable"] = "false",
        ["flush.messages"] = "9223372036854775807",
        ["flush.ms"] = "9223372036854775807",
        [IndexIntervalBytes] = "4096",
        ["segment.index.bytes"] = "10485760",
        ["segment.jitter.ms"] = "0",
        ["file.delete.delay.ms"] = "60000",
        ["preallocate"] = "false",
        ["message.downconversion.enable"] = "true",
        ["message.timestamp.difference.max.ms"] = "9223372036854775807",
        ["message.timestamp.before.max.ms"] = "9223372036854775807",
        ["message.timestamp.after.max.ms"] = "9223372036854775807",
        ["leader.replication.throttled.replicas"] = "",
        ["follower.replication.throttled.replicas"] = "",
    };

    /// <summary>Keys whose values this broker validates and uses; the other keys are accepted as given.</summary>
    private static readonly HashSet<string> Enforced = new(StringComparer.Ordinal)
    {
        CleanupPolicy, RetentionMs, RetentionBytes, SegmentBytes, SegmentMs, DeleteRetentionMs, MessageTimestampType,
        MaxMessageBytes, MinCompactionLagMs, CompressionType, MinInsyncReplicas, IndexIntervalBytes,
    };

    public TopicConfig(IReadOnlyDictionary<string, string>? overrides = null)
    {
        Overrides = overrides is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(overrides, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, string> Overrides { get; }

    public string Get(string key) => Overrides.TryGetValue(key, out var v) ? v : Defaults[key];

    public bool IsDefault(string key) => !Overrides.ContainsKey(key);

    private long GetLong(string key) => long.Parse(Get(key), CultureInfo.InvariantCulture);

    public bool Compact => Get(CleanupPolicy).Split(',').Any(p => p.Trim() == "compact");

    public bool Delete => Get(CleanupPolicy).Split(',').Any(p => p.Trim() == "delete");

    public long RetentionMsValue => GetLong(RetentionMs);

    public long RetentionBytesValue => GetLong(RetentionBytes);

    public long SegmentBytesValue => GetLong(SegmentBytes);

    public long SegmentMsValue => GetLong(SegmentMs);

    public long DeleteRetentionMsValue => GetLong(DeleteRetentionMs);

    public long MinCompactionLagMsValue => GetLong(MinCompactionLagMs);

    public int MaxMessageBytesValue => (int)GetLong(MaxMessageBytes);

    /// <summary>Bytes of log between two entries of the sparse offset and time indexes (at least 1).</summary>
    public int IndexIntervalBytesValue => (int)Math.Clamp(GetLong(IndexIntervalBytes), 1, int.MaxValue);

    public bool LogAppendTime => string.Equals(Get(MessageTimestampType), "LogAppendTime", StringComparison.Ordinal);

    /// <summary>Validates one override; returns an error message or null.</summary>
    public static string? Validate(string key, string? value)
    {
        if (!Defaults.ContainsKey(key))
        {
            return $"Unknown topic config name: {key}";
        }

        if (value is null || !Enforced.Contains(key))
        {
            return null;
        }

        return key switch
        {
            CleanupPolicy => value.Split(',').All(p => p.Trim() is "compact" or "delete") ? null : $"Invalid value {value} for {key}",
            MessageTimestampType => value is "CreateTime" or "LogAppendTime" ? null : $"Invalid value {value} for {key}",
            CompressionType => value is "producer" or "uncompressed" or "gzip" or "snappy" or "lz4" or "zstd" ? null : $"Invalid value {value} for {key}",
            _ => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : $"Invalid value {value} for {key}",
        };
    }
}

namespace StreamMasking.Broker;

/// <summary>Options of a <see cref="LocalBroker"/>. Every property has a usable default.</summary>
public sealed class LocalBrokerOptions
{
    /// <summary>Interface to listen on and to advertise in Metadata. The default value is <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free port (see <see cref="LocalBroker.BootstrapServers"/>). The default value is 0.</summary>
    public int Port { get; set; }

    /// <summary>
    /// Directory for the durable log (segment files) and coordinator state; <see langword="null"/> keeps everything in
    /// memory. The default value is <see langword="null"/>.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Partition count of auto-created topics and of CreateTopics with -1 partitions. The default value is 3.</summary>
    public int DefaultPartitions { get; set; } = 3;

    /// <summary>Create unknown topics on Metadata/Produce, like Kafka's auto.create.topics.enable. The default value is <see langword="true"/>.</summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>
    /// Group coordinator initial rebalance delay in milliseconds (Kafka's group.initial.rebalance.delay.ms).
    /// The default value is 0 (Kafka's default is 3000; a local broker wants fast joins).
    /// </summary>
    public int GroupInitialRebalanceDelayMs { get; set; }

    /// <summary>Largest accepted request frame in bytes (Kafka's socket.request.max.bytes). The default value is 104857600.</summary>
    public int MaxRequestBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>Largest accepted record batch in bytes (Kafka's message.max.bytes). The default value is 1048588.</summary>
    public int MaxMessageBytes { get; set; } = 1_048_588;

    /// <summary>Upper bound for a producer's transaction.timeout.ms (Kafka's transaction.max.timeout.ms). The default value is 900000.</summary>
    public int TransactionMaxTimeoutMs { get; set; } = 900_000;

    /// <summary>Node id reported in Metadata and FindCoordinator. The default value is 0.</summary>
    public int NodeId { get; set; }

    /// <summary>How often retention and compaction run, in milliseconds. The default value is 30000.</summary>
    public int LogCleanerIntervalMs { get; set; } = 30_000;

    /// <summary>
    /// Bytes of recently written or read record batches kept in memory for fetches, across all partitions; the
    /// rest of the log is read from the segment files. Only used with a <see cref="DataDirectory"/>. The default
    /// value is 33554432 (32 MiB).
    /// </summary>
    public long LogCacheBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Clock used for timestamps, timeouts and retention. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

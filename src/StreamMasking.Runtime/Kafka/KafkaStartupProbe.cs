using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Kafka;

/// <summary>
/// One metadata request at start, with the same connection and security settings as the pipeline and a bounded
/// timeout, so that a wrong address or an unreachable cluster stops the start with one message naming the setting
/// instead of a stream of client warnings. The client's own log is muted during the probe.
/// </summary>
public static class KafkaStartupProbe
{
    /// <summary>
    /// Returns the topics of <paramref name="topics"/> that do not exist. Throws
    /// <see cref="StreamMaskingConfigurationException"/> naming <c>StreamMasking:Kafka:BootstrapServers</c> when no broker
    /// answers within <paramref name="timeout"/>.
    /// </summary>
    public static IReadOnlyList<string> MissingTopics(KafkaOptions options, IReadOnlyCollection<string> topics, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topics);
        Metadata metadata;
        try
        {
            var clients = new KafkaClientFactory(options, NullLogger.Instance);
            using var admin = clients.CreateAdminClient("startup-probe");
            metadata = admin.GetMetadata(timeout);
        }
        catch (Exception e) when (e is KafkaException or ArgumentException or InvalidOperationException)
        {
            throw Unreachable(options, timeout, e is KafkaException k ? k.Error.Reason : e.Message);
        }

        if (metadata.Brokers.Count == 0)
        {
            throw Unreachable(options, timeout, "no broker in the metadata");
        }

        var existing = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
        return topics.Where(t => !existing.Contains(t)).ToList();
    }

    private static StreamMaskingConfigurationException Unreachable(KafkaOptions options, TimeSpan timeout, string reason) =>
        new($"{StreamMaskingOptions.SectionName}:Kafka:BootstrapServers: no Kafka broker answered at '{options.BootstrapServers}' "
            + $"within {timeout.TotalSeconds:0.#} s ({reason}); set it (or KAFKA_BOOTSTRAP_SERVERS) to a reachable broker list host:port[,host:port]");
}

using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Kafka;

namespace StreamMasking.Runtime.Topics;

/// <summary>
/// Creates topics through the admin API (CreateTopics), leaving existing ones untouched. Works on the local broker
/// and on a real Kafka cluster.
/// </summary>
internal sealed class TopicProvisioner
{
    private readonly IKafkaClientFactory _clients;
    private readonly ILogger _logger;

    internal TopicProvisioner(IKafkaClientFactory clients, ILogger logger)
    {
        _clients = clients;
        _logger = logger;
    }

    internal async Task EnsureAsync(IEnumerable<TopicSpecification> topics, TimeSpan timeout)
    {
        var specs = topics.DistinctBy(t => t.Name, StringComparer.Ordinal).ToList();
        if (specs.Count == 0)
        {
            return;
        }

        using var admin = _clients.CreateAdminClient("admin");
        try
        {
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { OperationTimeout = timeout, RequestTimeout = timeout });
            foreach (var spec in specs)
            {
                _logger.TopicCreated(spec.Name, spec.NumPartitions);
            }
        }
        catch (CreateTopicsException e)
        {
            foreach (var result in e.Results)
            {
                if (result.Error.Code == ErrorCode.TopicAlreadyExists)
                {
                    _logger.TopicExists(result.Topic);
                }
                else if (result.Error.Code == ErrorCode.NoError)
                {
                    _logger.TopicCreated(result.Topic, specs.First(s => s.Name == result.Topic).NumPartitions);
                }
                else
                {
                    throw new InvalidOperationException(
                        $"Cannot create topic '{result.Topic}': {result.Error.Code} {result.Error.Reason}", e);
                }
            }
        }
    }

    internal static TopicSpecification Spec(string name, int partitions, short replicationFactor,
        Dictionary<string, string>? configs = null) => new()
    {
        Name = name,
        NumPartitions = partitions,
        ReplicationFactor = replicationFactor,
        Configs = configs,
    };

    /// <summary>
    /// The repartition topic holds raw records: deleted (never compacted) once purged or past a bounded retention.
    /// </summary>
    internal static Dictionary<string, string> RepartitionConfigs(TimeSpan retention, long retentionBytes) => new(StringComparer.Ordinal)
    {
        ["cleanup.policy"] = "delete",
        ["retention.ms"] = ((long)retention.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["retention.bytes"] = retentionBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

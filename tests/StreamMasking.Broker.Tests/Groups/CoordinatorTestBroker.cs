using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMasking.Broker;

namespace StreamMasking.Broker.Tests.Groups;

/// <summary>
/// A local broker of its own for coordinator tests (they need broker settings the shared fixture does not set:
/// data directories, restarts), with client helpers. Topics are GUID-named.
/// </summary>
internal sealed class CoordinatorTestBroker : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private CoordinatorTestBroker(LocalBroker broker, LocalBrokerOptions options)
    {
        Broker = broker;
        Options = options;
    }

    public LocalBroker Broker { get; private set; }

    public LocalBrokerOptions Options { get; }

    public string BootstrapServers => Broker.BootstrapServers;

    public static async Task<CoordinatorTestBroker> StartAsync(Action<LocalBrokerOptions>? configure = null,
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var options = new LocalBrokerOptions { GroupInitialRebalanceDelayMs = 0 };
        configure?.Invoke(options);
        return new CoordinatorTestBroker(await LocalBroker.StartAsync(options, loggerFactory), options);
    }

    /// <summary>Stops the broker and starts a new one on the same port and data directory.</summary>
    public async Task RestartAsync()
    {
        var port = Broker.Port;
        await Broker.DisposeAsync();
        Options.Port = port;
        Broker = await LocalBroker.StartAsync(Options);
    }

    public async Task<string> CreateTopicAsync(int partitions)
    {
        var name = "coord-" + Guid.NewGuid().ToString("N");
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }]);
        return name;
    }

    public ProducerConfig TransactionalProducerConfig(string transactionalId, int transactionTimeoutMs = 60_000) => new()
    {
        BootstrapServers = BootstrapServers,
        TransactionalId = transactionalId,
        EnableIdempotence = true,
        TransactionTimeoutMs = transactionTimeoutMs,
        LingerMs = 5,
    };

    public ProducerConfig PlainProducerConfig() => new() { BootstrapServers = BootstrapServers, EnableIdempotence = true, LingerMs = 5 };

    public ConsumerConfig ConsumerConfig(string groupId, IsolationLevel isolation = IsolationLevel.ReadCommitted) => new()
    {
        BootstrapServers = BootstrapServers,
        GroupId = groupId,
        IsolationLevel = isolation,
        EnableAutoCommit = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        SessionTimeoutMs = 6000,
        HeartbeatIntervalMs = 500,
        MaxPollIntervalMs = 60_000,
    };

    /// <summary>
    /// Reads every partition of <paramref name="topic"/> from the beginning until a record with value
    /// <paramref name="sentinel"/> was seen on each partition; returns what came before (sentinels excluded).
    /// Writing sentinels after the records under test makes "nothing else is visible" checkable without waiting.
    /// </summary>
    public List<ConsumeResult<string, string>> ReadUntilSentinels(string topic, int partitions, string sentinel, IsolationLevel isolation)
    {
        using var consumer = new ConsumerBuilder<string, string>(ConsumerConfig("reader-" + Guid.NewGuid().ToString("N"), isolation)).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var seen = new HashSet<int>();
        var records = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow + Timeout;
        while (seen.Count < partitions)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Sentinels seen on {seen.Count}/{partitions} partitions.");
            }

            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is null)
            {
                continue;
            }

            if (result.Message.Value == sentinel)
            {
                seen.Add(result.Partition.Value);
            }
            else if (!seen.Contains(result.Partition.Value))
            {
                records.Add(result);
            }
        }

        return records;
    }

    /// <summary>Writes a non-transactional sentinel to every partition.</summary>
    public void WriteSentinels(string topic, int partitions, string sentinel)
    {
        using var producer = new ProducerBuilder<string, string>(PlainProducerConfig()).Build();
        for (var p = 0; p < partitions; p++)
        {
            producer.Produce(new TopicPartition(topic, p), new Message<string, string> { Key = "sentinel", Value = sentinel });
        }

        producer.Flush(Timeout);
    }

    public List<TopicPartitionOffset> Committed(string groupId, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(groupId)).Build();
        return consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), Timeout);
    }

    public ValueTask DisposeAsync() => Broker.DisposeAsync();
}

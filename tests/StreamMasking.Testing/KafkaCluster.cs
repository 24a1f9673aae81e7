using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMasking.Broker;
using StreamMasking.Broker.Faults;
using Testcontainers.Kafka;

namespace StreamMasking.Testing;

/// <summary>
/// One Kafka per test assembly: the local broker in-process by default, a real cluster when
/// <c>KAFKA_BOOTSTRAP_SERVERS</c> is set, or Testcontainers.Kafka when <c>STREAMMASKING_TESTCONTAINERS=1</c>.
/// Use as an xunit collection fixture; xunit needs the collection definition in the test assembly itself:
/// <code>
/// [CollectionDefinition(KafkaCluster.Collection)]
/// public sealed class KafkaClusterDefinition : ICollectionFixture&lt;KafkaCluster&gt;;
/// </code>
/// Tests create GUID-named topics (<see cref="NewTopicName"/>) so they never see each other's data.
/// </summary>
public sealed class KafkaCluster : IAsyncLifetime
{
    /// <summary>Name of the xunit collection using this fixture.</summary>
    public const string Collection = "Kafka";

    private LocalBroker? _broker;
    private KafkaContainer? _container;
    private string? _bootstrapServers;

    /// <summary>Bootstrap servers of the cluster in use.</summary>
    public string BootstrapServers => _bootstrapServers ?? throw new InvalidOperationException("KafkaCluster is not initialized.");

    public KafkaClusterKind Kind { get; private set; }

    /// <summary>Fault injection; null unless the local broker is in use.</summary>
    public BrokerFaults? Faults => _broker?.Faults;

    /// <summary>True when <see cref="Faults"/> is available (local broker only).</summary>
    public bool SupportsFaultInjection => _broker is not null;

    /// <summary>A scope whose end resets every fault injected into <see cref="Faults"/> (local broker only).</summary>
    public IDisposable ResetFaultsAtEnd() => new FaultReset(Faults ?? throw new InvalidOperationException(FaultInjectionSkipReason));

    /// <summary>Reason to give when skipping a fault-injection test.</summary>
    public string FaultInjectionSkipReason => $"Fault injection needs the local broker; tests run against {Kind}.";

    /// <summary>The in-process broker, or null.</summary>
    public LocalBroker? LocalBroker => _broker;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS");
        if (!string.IsNullOrWhiteSpace(external))
        {
            Kind = KafkaClusterKind.External;
            _bootstrapServers = external;
            return;
        }

        if (Environment.GetEnvironmentVariable("STREAMMASKING_TESTCONTAINERS") == "1")
        {
            Kind = KafkaClusterKind.Testcontainers;
            _container = new KafkaBuilder("confluentinc/cp-kafka:7.6.1").Build();
            await _container.StartAsync();
            _bootstrapServers = _container.GetBootstrapAddress();
            return;
        }

        Kind = KafkaClusterKind.Local;
        _broker = await StreamMasking.Broker.LocalBroker.StartAsync(new LocalBrokerOptions { GroupInitialRebalanceDelayMs = 0 });
        _bootstrapServers = _broker.BootstrapServers;
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    /// <summary>A fresh topic name: <c>{prefix}-{guid}</c>.</summary>
    public static string NewTopicName(string prefix = "test") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Creates a topic through the AdminClient (works on every cluster kind) and returns its name.</summary>
    public async Task<string> CreateTopicAsync(string? name = null, int partitions = 3, IDictionary<string, string>? configs = null)
    {
        name ??= NewTopicName();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        await admin.CreateTopicsAsync([
            new TopicSpecification
            {
                Name = name,
                NumPartitions = partitions,
                ReplicationFactor = 1,
                Configs = configs is null ? null : new Dictionary<string, string>(configs),
            },
        ]);
        return name;
    }

    /// <summary>A producer config for this cluster (idempotence off unless <paramref name="configure"/> turns it on).</summary>
    public ProducerConfig ProducerConfig(Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig { BootstrapServers = BootstrapServers, LingerMs = 5, MessageTimeoutMs = 60_000 };
        configure?.Invoke(config);
        return config;
    }

    /// <summary>A consumer config for this cluster: unique group, earliest, no auto commit.</summary>
    public ConsumerConfig ConsumerConfig(Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = $"group-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };
        configure?.Invoke(config);
        return config;
    }

    /// <summary>Produces messages and waits for every delivery report; returns the reports.</summary>
    public async Task<IReadOnlyList<DeliveryResult<byte[]?, byte[]?>>> ProduceAsync(
        string topic, IEnumerable<Message<byte[]?, byte[]?>> messages, Action<ProducerConfig>? configure = null)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(ProducerConfig(configure)).Build();
        var results = await Task.WhenAll(messages.Select(m => producer.ProduceAsync(topic, m)));
        producer.Flush(TimeSpan.FromSeconds(30));
        return results;
    }

    /// <summary>
    /// Reads a topic from the beginning with a read_committed consumer (partitions assigned directly, no group
    /// coordination) until every partition reports end-of-partition, or <paramref name="timeout"/> passes.
    /// </summary>
    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> DrainCommitted(string topic, TimeSpan? timeout = null, int? expectedCount = null) =>
        Drain(topic, IsolationLevel.ReadCommitted, timeout ?? TimeSpan.FromSeconds(60), expectedCount);

    /// <summary>Like <see cref="DrainCommitted"/> with read_uncommitted.</summary>
    public IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> DrainUncommitted(string topic, TimeSpan? timeout = null, int? expectedCount = null) =>
        Drain(topic, IsolationLevel.ReadUncommitted, timeout ?? TimeSpan.FromSeconds(60), expectedCount);

    private List<ConsumeResult<byte[]?, byte[]?>> Drain(string topic, IsolationLevel isolation, TimeSpan timeout, int? expectedCount)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(30));
        var partitions = metadata.Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        return TopicReader.Read(ConsumerConfig(c => c.IsolationLevel = isolation), partitions, timeout, expectedCount).Records;
    }

    private sealed class FaultReset(BrokerFaults faults) : IDisposable
    {
        public void Dispose() => faults.Reset();
    }
}

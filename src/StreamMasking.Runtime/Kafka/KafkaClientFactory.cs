using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Kafka;

/// <inheritdoc />
internal sealed class KafkaClientFactory : IKafkaClientFactory
{
    private readonly string _bootstrapServers;
    private readonly string _clientIdPrefix;
    private readonly Dictionary<string, string> _properties;
    private readonly ILogger _logger;

    internal KafkaClientFactory(KafkaOptions options, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            throw new StreamMaskingConfigurationException($"{StreamMaskingOptions.SectionName}:Kafka:BootstrapServers: is required");
        }

        _bootstrapServers = options.BootstrapServers;
        _clientIdPrefix = options.ClientIdPrefix;
        _properties = KafkaProperties.Normalize(options.Properties);
        _logger = logger;
    }

    public IProducer<byte[]?, byte[]?> CreateTransactionalProducer(string transactionalId, string clientId, TimeSpan transactionTimeout)
    {
        var config = new ProducerConfig(Base(clientId))
        {
            TransactionalId = transactionalId,
            EnableIdempotence = true,
            Acks = Acks.All,
            TransactionTimeoutMs = (int)transactionTimeout.TotalMilliseconds,
            // Same partitioner as the Java client, so a segment key lands on the same partition whichever
            // client wrote it (inputs already keyed by segment may come from Java producers).
            Partitioner = Partitioner.Murmur2Random,
        };
        ApplyPassThrough(config);
        return WithHandlers(new ProducerBuilder<byte[]?, byte[]?>(config), clientId).Build();
    }

    public IConsumer<byte[]?, byte[]?> CreateConsumer(string groupId, string? groupInstanceId, string clientId,
        Action<ConsumerBuilder<byte[]?, byte[]?>> configure)
    {
        var config = new ConsumerConfig(Base(clientId))
        {
            GroupId = groupId,
            // Static membership: a restarted instance takes its old place (same assignment, no rebalance) instead
            // of waiting for its previous incarnation's session to expire. It sends no LeaveGroup on close.
            GroupInstanceId = groupInstanceId,
            // Offsets are committed through the producer inside each transaction, never by the consumer.
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            // Records of aborted (or still open) transactions must never be processed.
            IsolationLevel = IsolationLevel.ReadCommitted,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = false,
            // Consumer lag for the metrics comes from librdkafka's statistics (a pass-through property may change it).
            StatisticsIntervalMs = 5000,
        };
        ApplyPassThrough(config);
        var builder = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetLogHandler((_, m) => _logger.ClientLog(clientId, m.Facility, m.Message))
            .SetErrorHandler((_, e) => _logger.ClientError(clientId, e.Code.ToString(), e.Reason));
        configure(builder);
        return builder.Build();
    }

    public IAdminClient CreateAdminClient(string clientId)
    {
        var config = new AdminClientConfig(Base(clientId));
        ApplyPassThrough(config);
        return new AdminClientBuilder(config)
            .SetLogHandler((_, m) => _logger.ClientLog(clientId, m.Facility, m.Message))
            .SetErrorHandler((_, e) => _logger.ClientError(clientId, e.Code.ToString(), e.Reason))
            .Build();
    }

    public ConsumerConfig BaseConsumerConfig(string clientId)
    {
        var config = new ConsumerConfig(Base(clientId));
        ApplyPassThrough(config);
        return config;
    }

    public IProducer<byte[]?, byte[]?> CreateProducer(string clientId)
    {
        var config = new ProducerConfig(Base(clientId))
        {
            EnableIdempotence = true,
            Acks = Acks.All,
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 5,
        };
        ApplyPassThrough(config);
        return WithHandlers(new ProducerBuilder<byte[]?, byte[]?>(config), clientId).Build();
    }

    private Dictionary<string, string> Base(string clientId) => new(StringComparer.Ordinal)
    {
        ["bootstrap.servers"] = _bootstrapServers,
        ["client.id"] = $"{_clientIdPrefix}.{clientId}",
    };

    private void ApplyPassThrough(ClientConfig config)
    {
        foreach (var (key, value) in _properties)
        {
            config.Set(key, value);
        }
    }

    private ProducerBuilder<byte[]?, byte[]?> WithHandlers(ProducerBuilder<byte[]?, byte[]?> builder, string clientId) => builder
        .SetLogHandler((_, m) => _logger.ClientLog(clientId, m.Facility, m.Message))
        .SetErrorHandler((_, e) => _logger.ClientError(clientId, e.Code.ToString(), e.Reason));
}

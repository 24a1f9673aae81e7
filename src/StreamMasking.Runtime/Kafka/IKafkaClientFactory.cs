using Confluent.Kafka;

namespace StreamMasking.Runtime.Kafka;

/// <summary>
/// Creates every Kafka client the runtime uses, with the pass-through properties and the settings the pipeline's
/// guarantees depend on. A seam: tests and later state-store restore consumers get their clients here.
/// </summary>
internal interface IKafkaClientFactory
{
    /// <summary>An idempotent transactional producer (not yet initialised).</summary>
    IProducer<byte[]?, byte[]?> CreateTransactionalProducer(string transactionalId, string clientId, TimeSpan transactionTimeout);

    /// <summary>
    /// A read_committed consumer with manual offsets; <paramref name="configure"/> adds rebalance handlers. With
    /// <paramref name="groupInstanceId"/> it is a static member of the group (KIP-345).
    /// </summary>
    IConsumer<byte[]?, byte[]?> CreateConsumer(string groupId, string? groupInstanceId, string clientId,
        Action<ConsumerBuilder<byte[]?, byte[]?>> configure);

    /// <summary>An admin client.</summary>
    IAdminClient CreateAdminClient(string clientId);

    /// <summary>Connection, security and pass-through settings for assign-only consumers (state restore).</summary>
    ConsumerConfig BaseConsumerConfig(string clientId);

    /// <summary>A plain idempotent producer (generators, tools).</summary>
    IProducer<byte[]?, byte[]?> CreateProducer(string clientId);
}

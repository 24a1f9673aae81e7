using Confluent.Kafka;

namespace StreamMasking.Testing.Kafka;

/// <summary>
/// Reads the rebalance handlers a caller registers on a <see cref="ConsumerBuilder{TKey,TValue}"/>: the builder
/// keeps them in protected internal properties (Confluent.Kafka 2.x), visible to a subclass. The builder is never
/// built; the fake consumer calls the handlers itself.
/// </summary>
internal sealed class RebalanceHandlers : ConsumerBuilder<byte[]?, byte[]?>
{
    internal RebalanceHandlers()
        : base(new ConsumerConfig())
    {
    }

    internal Func<IConsumer<byte[]?, byte[]?>, List<TopicPartition>, IEnumerable<TopicPartitionOffset>>? Assigned => PartitionsAssignedHandler;

    internal Func<IConsumer<byte[]?, byte[]?>, List<TopicPartitionOffset>, IEnumerable<TopicPartitionOffset>>? Revoked => PartitionsRevokedHandler;

    internal Func<IConsumer<byte[]?, byte[]?>, List<TopicPartitionOffset>, IEnumerable<TopicPartitionOffset>>? Lost => PartitionsLostHandler;
}

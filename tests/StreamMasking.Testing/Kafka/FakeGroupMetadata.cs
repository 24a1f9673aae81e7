using Confluent.Kafka;

namespace StreamMasking.Testing.Kafka;

/// <summary>The group metadata a fake consumer hands to SendOffsetsToTransaction.</summary>
/// <param name="GroupId">Consumer group.</param>
/// <param name="Generation">Rebalances seen by the consumer (its group generation).</param>
public sealed record FakeGroupMetadata(string GroupId, int Generation) : IConsumerGroupMetadata;

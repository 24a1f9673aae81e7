using Confluent.Kafka;

namespace StreamMasking.Runtime.Processing;

/// <summary>
/// Optional interface of a processor that keeps state (state stores, windows): the loop tells it about partition
/// ownership and transaction outcomes, on the loop thread, so its local state follows exactly what Kafka committed.
/// </summary>
internal interface ITransactionParticipant
{
    /// <summary>New partitions are ours; restore their state before the first record is processed.</summary>
    void OnPartitionsAssigned(IReadOnlyList<TopicPartition> partitions);

    /// <summary>Partitions were revoked; the open transaction has already been committed.</summary>
    void OnPartitionsRevoked(IReadOnlyList<TopicPartition> partitions);

    /// <summary>Partitions were lost; the open transaction has already been aborted.</summary>
    void OnPartitionsLost(IReadOnlyList<TopicPartition> partitions);

    /// <summary>The transaction committed: pending state becomes durable.</summary>
    void OnCommitted();

    /// <summary>The transaction aborted: discard pending state (the input is re-read).</summary>
    void OnAborted();
}

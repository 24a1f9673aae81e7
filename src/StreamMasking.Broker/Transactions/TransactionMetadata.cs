using StreamMasking.Broker.Groups;

namespace StreamMasking.Broker.Transactions;

/// <summary>State of one transactional id. Mutated only by <see cref="TransactionCoordinator"/> under its lock.</summary>
internal sealed class TransactionMetadata
{
    public TransactionMetadata(string transactionalId, long producerId, int timeoutMs)
    {
        TransactionalId = transactionalId;
        ProducerId = producerId;
        TimeoutMs = timeoutMs;
    }

    public string TransactionalId { get; }

    public long ProducerId { get; set; }

    /// <summary>Current epoch; -1 before the first InitProducerId completed.</summary>
    public short ProducerEpoch { get; set; } = -1;

    /// <summary>Epoch before the last bump, so a retried InitProducerId (KIP-360) can be recognised.</summary>
    public short LastProducerEpoch { get; set; } = -1;

    public int TimeoutMs { get; set; }

    public TransactionState State { get; set; } = TransactionState.Empty;

    public HashSet<TopicPartitionKey> Partitions { get; } = [];

    public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset StartTime { get; set; }

    /// <summary>Completes when the markers of the commit/abort in progress are written.</summary>
    public Task? Completion { get; set; }

    public bool IsCompleting => State is TransactionState.PrepareCommit or TransactionState.PrepareAbort;

    /// <summary>Kafka rotates the producer id once the epoch cannot be bumped twice more.</summary>
    public bool EpochExhausted => ProducerEpoch >= short.MaxValue - 1;
}

using StreamMasking.Broker.Groups;

namespace StreamMasking.Broker.Transactions;

/// <summary>
/// One durable change of transaction-coordinator state. Kind "pid-block": producer ids below
/// <see cref="PidBlockEnd"/> may have been handed out. Kind "txn": the full state of one transactional id (last wins).
/// </summary>
internal sealed record TransactionJournalRecord(
    string Kind,
    long PidBlockEnd = 0,
    string? TransactionalId = null,
    long ProducerId = -1,
    short ProducerEpoch = -1,
    short LastProducerEpoch = -1,
    int TimeoutMs = 0,
    TransactionState State = TransactionState.Empty,
    IReadOnlyList<TopicPartitionKey>? Partitions = null,
    IReadOnlyList<string>? Groups = null,
    long StartTimeMs = 0);

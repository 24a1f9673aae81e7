namespace StreamMasking.Runtime.Processing;

/// <summary>Settings of one transactional stage.</summary>
/// <param name="Name">Stage name ("route" or "mask"), used in ids and logs.</param>
/// <param name="InputTopics">Topics the stage consumes.</param>
/// <param name="GroupId">Consumer group of the stage.</param>
/// <param name="GroupInstanceId">Static group membership id of this instance of the stage (KIP-345).</param>
/// <param name="TransactionalId">Transactional id of this instance of the stage.</param>
/// <param name="IsEntryStage">Whether the stage consumes the service's input topics.</param>
/// <param name="BatchMaxRecords">Records per transaction at most.</param>
/// <param name="BatchMaxInterval">Longest time a transaction stays open.</param>
/// <param name="ConsumeTimeout">Longest single consume call.</param>
/// <param name="TransactionTimeout">Broker-side transaction timeout.</param>
/// <param name="OperationTimeout">Timeout of transactional API calls.</param>
/// <param name="RetryBackoff">Pause after an abort or a retriable error.</param>
/// <param name="Thread">Stream thread of the stage in this instance (0 for the first).</param>
internal sealed record StageSettings(
    string Name,
    IReadOnlyList<string> InputTopics,
    string GroupId,
    string GroupInstanceId,
    string TransactionalId,
    bool IsEntryStage,
    int BatchMaxRecords,
    TimeSpan BatchMaxInterval,
    TimeSpan ConsumeTimeout,
    TimeSpan TransactionTimeout,
    TimeSpan OperationTimeout,
    TimeSpan RetryBackoff,
    int Thread = 0)
{
    /// <summary>
    /// The loop's name in logs and in the pipeline's catch-up signal: the stage name for thread 0, else
    /// <c>{stage}.{thread}</c>. Metrics and counters keep the stage name.
    /// </summary>
    internal string LoopName => Thread == 0 ? Name : $"{Name}.{Thread}";
}

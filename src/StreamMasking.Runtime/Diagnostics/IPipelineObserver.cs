using Confluent.Kafka;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Runtime.Diagnostics;

/// <summary>
/// Events of the running pipeline for the metrics layer, one call per event. Called on the stage threads (and the
/// restoring thread): implementations must be cheap, thread-safe across stages, and must never throw. Nothing passed
/// here carries a record key or value.
/// </summary>
internal interface IPipelineObserver : IStateRestoreObserver, IStateStoreMetrics
{
    /// <summary>A poll of <paramref name="stage"/> returned (with or without a record): the loop is alive.</summary>
    void OnPolled(string stage);

    /// <summary>One record was processed in the open transaction, in <paramref name="elapsed"/>; its Kafka timestamp.</summary>
    void OnProcessed(string stage, Timestamp timestamp, TimeSpan elapsed);

    /// <summary>The open transaction committed after <paramref name="commitDuration"/>; its counts.</summary>
    void OnCommitted(string stage, TransactionTally tally, TimeSpan commitDuration);

    /// <summary>The open transaction aborted; its counts (nothing of it is visible).</summary>
    void OnAborted(string stage, TransactionTally tally);

    /// <summary>A rebalance callback: <paramref name="partitions"/> assigned, revoked or lost.</summary>
    void OnRebalanced(string stage, RebalanceKind kind, int partitions);

    /// <summary>The consumer's librdkafka statistics (JSON, <c>statistics.interval.ms</c>).</summary>
    void OnStatistics(string stage, string json);

    /// <summary>A segment's budget ledger as committed (after the transaction that debited it committed).</summary>
    void OnLedgerCommitted(string segment, BudgetLedger ledger);
}

namespace StreamMasking.Broker.Transactions;

/// <summary>Kafka's transaction states (TransactionState in the Java coordinator).</summary>
internal enum TransactionState
{
    Empty,
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
}

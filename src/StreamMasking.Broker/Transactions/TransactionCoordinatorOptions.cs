namespace StreamMasking.Broker.Transactions;

/// <summary>Settings of the transaction coordinator.</summary>
public sealed class TransactionCoordinatorOptions
{
    /// <summary>Largest transaction.timeout.ms a producer may ask for (transaction.max.timeout.ms). Milliseconds; default 900000.</summary>
    public int MaxTransactionTimeoutMs { get; set; } = 900_000;

    /// <summary>How often open transactions are checked for expiry. Milliseconds; default 1000.</summary>
    public int TimeoutCheckIntervalMs { get; set; } = 1000;

    internal void Validate()
    {
        if (MaxTransactionTimeoutMs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTransactionTimeoutMs), MaxTransactionTimeoutMs, "transaction.max.timeout.ms must be > 0.");
        }

        if (TimeoutCheckIntervalMs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TimeoutCheckIntervalMs), TimeoutCheckIntervalMs, "The transaction timeout check interval must be > 0.");
        }
    }
}

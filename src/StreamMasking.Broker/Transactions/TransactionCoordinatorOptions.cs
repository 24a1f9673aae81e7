namespace StreamMasking.Broker.Transactions;

/// <summary>Settings of the transaction coordinator.</summary>
public sealed class TransactionCoordinatorOptions
{
    /// <summary>Largest transaction.timeout.ms a producer may ask for (transaction.max.timeout.ms). Milliseconds; default 900000.</summary>
    public int MaxTransactionTimeoutMs { get; set; } = 900_000;

    /// <summary>How often open transactions are checked for expiry. Milliseconds; default 1000.</summary>
    public int TimeoutCheckIntervalMs { get; set; } = 1000;

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting.</summary>
    internal void Validate()
    {
        var errors = Errors();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors.Select(e => e.Message)), errors[0].Property);
        }
    }

    /// <summary>Every invalid setting with the property it names (empty when valid).</summary>
    internal IReadOnlyList<(string Property, string Message)> Errors()
    {
        var errors = new List<(string Property, string Message)>();
        if (MaxTransactionTimeoutMs <= 0)
        {
            errors.Add((nameof(MaxTransactionTimeoutMs), "transaction.max.timeout.ms must be > 0."));
        }

        if (TimeoutCheckIntervalMs <= 0)
        {
            errors.Add((nameof(TimeoutCheckIntervalMs), "The transaction timeout check interval must be > 0."));
        }

        return errors;
    }
}

namespace StreamMasking.Privacy.Accounting;

/// <summary>Outcome of <see cref="BudgetLedger.TryDebit"/>.</summary>
public enum DebitOutcome
{
    /// <summary>The cost was debited now; the release may be emitted.</summary>
    Debited = 1,

    /// <summary>The release key was paid before with the same cost; nothing was charged; the release may be re-emitted.</summary>
    AlreadyDebited = 2,

    /// <summary>Nothing was charged; the release must be suppressed.</summary>
    Refused = 3,
}

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// A composition rule: which costs it accepts, whether running totals stay within a cap, what remains, and the
/// (ε, δ) guarantee the totals give. Accountants are immutable and stateless; the totals live in
/// <see cref="PrivacySpend"/> values owned by a <see cref="BudgetLedger"/>.
/// </summary>
public abstract class PrivacyAccountant
{
    private protected PrivacyAccountant()
    {
    }

    /// <summary>The composition rule (persisted with ledger state).</summary>
    public abstract AccountantKind Kind { get; }

    /// <summary>The accountant's δ parameter (persisted): reporting δ for zCDP, slack δ′ for the filter, 0 for basic.</summary>
    public abstract Delta Parameter { get; }

    /// <summary>Whether costs of this kind can be composed by this accountant.</summary>
    public abstract bool Accepts(PrivacyCostKind kind);

    /// <summary>Throws <see cref="ArgumentException"/> if <paramref name="cap"/> is not stated in this accountant's currency.</summary>
    public abstract void ValidateCap(PrivacyCost cap);

    /// <summary>Whether <paramref name="spend"/> is within <paramref name="cap"/>.</summary>
    public abstract bool IsWithin(PrivacySpend spend, PrivacyCost cap);

    /// <summary>What can still be spent under <paramref name="cap"/>, in the cap's currency (floored at zero).</summary>
    public abstract PrivacyCost Remaining(PrivacySpend spend, PrivacyCost cap);

    /// <summary>The (ε, δ)-DP guarantee of everything composed into <paramref name="spend"/> (for reporting).</summary>
    public abstract PrivacyCost Guarantee(PrivacySpend spend);

    /// <summary>Recreates a persisted accountant.</summary>
    internal static PrivacyAccountant Create(AccountantKind kind, Delta parameter) => kind switch
    {
        AccountantKind.Basic => BasicCompositionAccountant.Instance,
        AccountantKind.Zcdp => new ZcdpAccountant(parameter),
        AccountantKind.AdaptiveFilter => new AdaptiveCompositionFilter(parameter),
        _ => throw new FormatException($"Unknown accountant kind {kind}."),
    };
}

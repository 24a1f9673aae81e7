using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Windowing;

/// <summary>
/// The privacy budget of one segment: a cap per window and a lifetime cap, composed by the named accountant.
/// Pure-ε and (ε, δ) caps use basic composition; a ρ cap uses zCDP.
/// </summary>
public sealed record BudgetSpec
{
    /// <summary>Composition rule. Default <see cref="AccountantKind.Basic"/>.</summary>
    public AccountantKind Accountant { get; init; } = AccountantKind.Basic;

    /// <summary>Cap on the releases of one window, in the accountant's currency. Required.</summary>
    public required PrivacyCost WindowCap { get; init; }

    /// <summary>Cap on all releases ever, in the accountant's currency. Required.</summary>
    public required PrivacyCost LifetimeCap { get; init; }

    /// <summary>
    /// The accountant's δ parameter: for zCDP the δ at which totals are reported as (ε, δ); for the adaptive
    /// filter its slack δ′. Ignored by basic composition. Default 1e-9.
    /// </summary>
    public double ReportingDelta { get; init; } = 1e-9;

    /// <summary>
    /// Windows whose release keys the ledger remembers (replays of older windows are refused, never re-charged);
    /// must cover the grace period and any release backlog. Default 64.
    /// </summary>
    public int RetainedWindows { get; init; } = 64;

    /// <summary>The accountant this spec names.</summary>
    public PrivacyAccountant CreateAccountant() => Accountant switch
    {
        AccountantKind.Basic => BasicCompositionAccountant.Instance,
        AccountantKind.Zcdp => new ZcdpAccountant(new Delta(ReportingDelta)),
        AccountantKind.AdaptiveFilter => new AdaptiveCompositionFilter(new Delta(ReportingDelta)),
        _ => throw new ArgumentException($"Accountant {Accountant} is not supported for window budgets.", nameof(Accountant)),
    };

    /// <summary>A fresh, empty ledger for the segment (validates the caps against the accountant).</summary>
    public BudgetLedger CreateLedger() => new(CreateAccountant(), WindowCap, LifetimeCap, RetainedWindows);

    /// <summary>A fresh, empty ledger bound to the segment's content hash <paramref name="binding"/>.</summary>
    public BudgetLedger CreateLedger(string binding) => new(CreateAccountant(), WindowCap, LifetimeCap, RetainedWindows, binding);
}

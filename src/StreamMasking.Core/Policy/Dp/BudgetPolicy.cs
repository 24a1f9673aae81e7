using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Dp;

/// <summary>The privacy budget of a segment's window releases (the <c>budget</c> key).</summary>
/// <param name="Accountant">Composition rule.</param>
/// <param name="PerWindow">Cap on one window's releases: (ε, δ) for basic and advanced-filter, ρ for zCDP.</param>
/// <param name="Lifetime">Cap on all releases ever, same currency.</param>
/// <param name="Parameter">The accountant's δ: reporting δ for zCDP, slack δ′ for the filter, 0 for basic.</param>
public sealed record BudgetPolicy(AccountantKind Accountant, PrivacyCost PerWindow, PrivacyCost Lifetime, Delta Parameter)
{
    /// <summary>The accountant named by the policy.</summary>
    public PrivacyAccountant CreateAccountant() => Accountant switch
    {
        AccountantKind.Zcdp => new ZcdpAccountant(Parameter),
        AccountantKind.AdaptiveFilter => new AdaptiveCompositionFilter(Parameter),
        _ => BasicCompositionAccountant.Instance,
    };

    /// <summary>The policy keyword of the accountant.</summary>
    public string AccountantName => Accountant switch
    {
        AccountantKind.Zcdp => "zcdp",
        AccountantKind.AdaptiveFilter => "advanced-filter",
        _ => "basic",
    };
}

using System.Globalization;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Dp;

/// <summary>
/// A total privacy loss under one accountant: Σε and Σδ (basic; the advanced filter reports the same basic bound,
/// which is valid for it too), or Σρ for zCDP (pure ε counted as ε²/2). Used for reports and budget checks.
/// </summary>
/// <param name="Accountant">Composition rule of the totals.</param>
/// <param name="Epsilon">Σε (basic and filter).</param>
/// <param name="Delta">Σδ (basic and filter).</param>
/// <param name="Rho">Σρ (zCDP).</param>
public sealed record ComposedCost(AccountantKind Accountant, double Epsilon, double Delta, double Rho)
{
    /// <summary>Nothing spent.</summary>
    public static ComposedCost Zero(AccountantKind accountant) => new(accountant, 0, 0, 0);

    /// <summary>Adds <paramref name="times"/> copies of <paramref name="cost"/>.</summary>
    public ComposedCost Add(PrivacyCost cost, double times = 1)
    {
        if (Accountant == AccountantKind.Zcdp)
        {
            var rho = cost.Kind switch
            {
                PrivacyCostKind.Zcdp => cost.Rho.Value,
                PrivacyCostKind.PureDp => cost.Epsilon.Value * cost.Epsilon.Value / 2,
                _ => throw new ArgumentException("zCDP cannot compose an (ε, δ) cost.", nameof(cost)),
            };
            return this with { Rho = Rho + (times * rho) };
        }

        if (cost.Kind == PrivacyCostKind.Zcdp)
        {
            throw new ArgumentException("Basic composition cannot compose a ρ cost.", nameof(cost));
        }

        return this with { Epsilon = Epsilon + (times * cost.Epsilon.Value), Delta = Delta + (times * cost.Delta.Value) };
    }

    /// <summary>This total <paramref name="times"/> over (basic and zCDP both compose linearly).</summary>
    public ComposedCost Scale(double times) => this with { Epsilon = Epsilon * times, Delta = Delta * times, Rho = Rho * times };

    /// <summary>Adds another total of the same accountant.</summary>
    public ComposedCost Add(ComposedCost other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with { Epsilon = Epsilon + other.Epsilon, Delta = Delta + other.Delta, Rho = Rho + other.Rho };
    }

    /// <summary>The tighter of this total and a cap in this accountant's currency (the ledger never lets spend exceed it).</summary>
    public ComposedCost CappedBy(PrivacyCost cap) => Tighter(Zero(Accountant).Add(cap));

    /// <summary>
    /// The tighter of two valid bounds on the same spend. Under basic composition and zCDP both bound the composed sum
    /// component-wise, so the component-wise minimum is valid. Under the advanced filter the cap is the filter's (ε, δ)
    /// guarantee, not a bound on Σε: a pair mixing the cap's ε with the sum's δ is no guarantee at all, so one whole pair
    /// is chosen (the smaller ε, then the smaller δ).
    /// </summary>
    public ComposedCost Tighter(ComposedCost other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Accountant == AccountantKind.Zcdp)
        {
            return this with { Rho = Math.Min(Rho, other.Rho) };
        }

        if (Accountant != AccountantKind.AdaptiveFilter)
        {
            return this with { Epsilon = Math.Min(Epsilon, other.Epsilon), Delta = Math.Min(Delta, other.Delta) };
        }

        return other.Epsilon < Epsilon || (other.Epsilon == Epsilon && other.Delta < Delta) ? this with { Epsilon = other.Epsilon, Delta = other.Delta } : this;
    }

    /// <summary>
    /// This total as (ε, δ): itself under basic composition and the filter, ρ converted at <paramref name="reportingDelta"/>
    /// under zCDP (δ = 0 when nothing was spent).
    /// </summary>
    public (double Epsilon, double Delta) AsEpsilonDelta(Delta reportingDelta)
    {
        if (Accountant != AccountantKind.Zcdp)
        {
            return (Epsilon, Delta);
        }

        return Rho > 0 ? (ZcdpConversion.ToEpsilon(new Rho(Rho), reportingDelta).Value, reportingDelta.Value) : (0, 0);
    }

    /// <summary>e.g. <c>ε=1.5, δ=0</c> or <c>ρ=0.125 (ε=2.1 at δ=1e-09)</c>.</summary>
    public string Format(Delta reportingDelta)
    {
        if (Accountant != AccountantKind.Zcdp)
        {
            return string.Create(CultureInfo.InvariantCulture, $"ε={Round(Epsilon)}, δ={Round(Delta)}");
        }

        var epsilon = Rho > 0 && reportingDelta.Value > 0 ? ZcdpConversion.ToEpsilon(new Rho(Rho), reportingDelta).Value : 0;
        return string.Create(
            CultureInfo.InvariantCulture, $"ρ={Round(Rho)} (ε={Round(epsilon)} at δ={Round(reportingDelta.Value)})");
    }

    /// <summary>Six significant digits: reports, not arithmetic.</summary>
    internal static string Round(double value) => value.ToString("G6", CultureInfo.InvariantCulture).Replace('E', 'e');
}

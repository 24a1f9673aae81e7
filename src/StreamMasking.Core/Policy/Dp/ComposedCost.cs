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

    /// <summary>Component-wise minimum with a cap in this accountant's currency (the ledger never lets spend exceed it).</summary>
    public ComposedCost CappedBy(PrivacyCost cap) => Accountant == AccountantKind.Zcdp
        ? this with { Rho = Math.Min(Rho, cap.Rho.Value) }
        : this with { Epsilon = Math.Min(Epsilon, cap.Epsilon.Value), Delta = Math.Min(Delta, cap.Delta.Value) };

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

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// Running totals of debited costs, kept in every currency an accountant may need: Σε and Σδ over pure/approximate
/// costs, Σε² (for the adaptive filter) and Σρ over zCDP costs plus ε²/2 for each pure cost. All sums are checked and
/// rounded up.
/// </summary>
public readonly record struct PrivacySpend
{
    internal PrivacySpend(Epsilon epsilon, Delta delta, Rho rho, double epsilonSquared, long count)
    {
        Epsilon = epsilon;
        Delta = delta;
        Rho = rho;
        EpsilonSquared = BudgetArithmetic.Validate(epsilonSquared, nameof(epsilonSquared));
        Count = count >= 0 ? count : throw new ArgumentOutOfRangeException(nameof(count));
    }

    /// <summary>Σε over pure and approximate costs.</summary>
    public Epsilon Epsilon { get; }

    /// <summary>Σδ over approximate costs.</summary>
    public Delta Delta { get; }

    /// <summary>Σρ over zCDP costs, plus ε²/2 for every pure cost.</summary>
    public Rho Rho { get; }

    /// <summary>Σε² over pure and approximate costs.</summary>
    public double EpsilonSquared { get; }

    /// <summary>Number of debits.</summary>
    public long Count { get; }

    /// <summary>These totals plus <paramref name="cost"/>; throws <see cref="OverflowException"/> on overflow.</summary>
    public PrivacySpend Add(PrivacyCost cost)
    {
        var eps = cost.Epsilon.Value;
        var rho = cost.Kind switch
        {
            PrivacyCostKind.Zcdp => cost.Rho,
            PrivacyCostKind.PureDp => Rho.FromPureEpsilon(cost.Epsilon),
            _ => Rho.Zero,
        };
        return new PrivacySpend(
            Epsilon + cost.Epsilon,
            Delta + cost.Delta,
            Rho + rho,
            BudgetArithmetic.AddRoundUp(EpsilonSquared, BudgetArithmetic.MultiplyRoundUp(eps, eps)),
            checked(Count + 1));
    }
}

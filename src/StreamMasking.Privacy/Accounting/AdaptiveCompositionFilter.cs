namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// Advanced composition as a privacy filter, valid when each cost (εᵢ, δᵢ) is chosen adaptively from earlier
/// outputs (Whitehouse, Ramdas, Rogers, Wu 2023, "Fully-adaptive composition in differential privacy", advanced
/// composition filter; it improves the constants of the Rogers–Roth–Ullman–Vadhan 2016 filter). With target (ε, δ)
/// and a slack δ′ &lt; δ, the filter lets a mechanism run only while, including that mechanism,
/// <code>  √(2·ln(1/δ′)·Σεᵢ²) + ½·Σεᵢ² ≤ ε   and   Σδᵢ ≤ δ − δ′ ,</code>
/// and then the whole adaptively stopped interaction is (ε, δ)-DP. (For pure costs the same statistic also follows from
/// εᵢ-DP ⇒ εᵢ²/2-zCDP, the Rényi filter of Feldman–Zrnic 2021 and ρ ⇒ (ρ + 2√(ρ·ln(1/δ′)), δ′).) Plain advanced composition (Dwork–Rothblum–Vadhan)
/// assumes the εᵢ are fixed in advance and is therefore not offered. The cap is the (ε, δ) target.
/// For a handful of large costs basic composition is tighter: pick <see cref="BasicCompositionAccountant"/> then.
/// </summary>
public sealed class AdaptiveCompositionFilter : PrivacyAccountant
{
    /// <summary>Creates the filter with slack δ′ in (0, 1).</summary>
    public AdaptiveCompositionFilter(Delta slack)
    {
        if (slack.Value <= 0 || slack.Value >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(slack), slack, "Must be in (0, 1).");
        }

        Parameter = slack;
    }

    public override AccountantKind Kind => AccountantKind.AdaptiveFilter;

    /// <summary>The slack δ′ spent on the concentration bound (part of the target δ).</summary>
    public override Delta Parameter { get; }

    public override bool Accepts(PrivacyCostKind kind) =>
        kind is PrivacyCostKind.PureDp or PrivacyCostKind.ApproximateDp;

    public override void ValidateCap(PrivacyCost cap)
    {
        if (cap.Kind != PrivacyCostKind.ApproximateDp || cap.Delta <= Parameter)
        {
            throw new ArgumentException("A filter cap is an (ε, δ) target with δ greater than the slack δ′.", nameof(cap));
        }
    }

    public override bool IsWithin(PrivacySpend spend, PrivacyCost cap) =>
        Statistic(spend.EpsilonSquared) <= cap.Epsilon.Value
        && spend.Delta.Value <= BudgetArithmetic.SubtractRoundDown(cap.Delta.Value, Parameter.Value);

    /// <summary>
    /// The largest single pure ε the filter would still accept (solving the filter inequality for Σε²), and the δ
    /// left for approximate costs.
    /// </summary>
    public override PrivacyCost Remaining(PrivacySpend spend, PrivacyCost cap)
    {
        // With u = √(Σε²): √(2L)·u + u²/2 ≤ ε  ⇔  u ≤ √(2L + 2ε) − √(2L).
        var twoL = 2 * Math.Log(1 / Parameter.Value);
        var u = Math.Sqrt(twoL + (2 * cap.Epsilon.Value)) - Math.Sqrt(twoL);
        var headroom = ((u * u) * (1 - 1e-12)) - spend.EpsilonSquared;
        var epsilon = headroom > 0 ? new Epsilon(Math.Sqrt(headroom) * (1 - 1e-12)) : Epsilon.Zero;
        var deltaLeft = Math.Max(0, BudgetArithmetic.SubtractRoundDown(cap.Delta.Value, Parameter.Value));
        return PrivacyCost.Approximate(epsilon, Delta.Remaining(new Delta(deltaLeft), spend.Delta));
    }

    /// <summary>
    /// The filter statistic √(2·ln(1/δ′)·Σε²) + ½·Σε² with δ′ + Σδ. This is what the filter compares with its target;
    /// the guarantee of the stopped interaction is the cap itself.
    /// </summary>
    public override PrivacyCost Guarantee(PrivacySpend spend) =>
        PrivacyCost.Approximate(new Epsilon(Statistic(spend.EpsilonSquared)), spend.Delta + Parameter);

    private double Statistic(double sumOfSquares) =>
        BudgetArithmetic.PadUp(Math.Sqrt(2 * Math.Log(1 / Parameter.Value) * sumOfSquares) + (sumOfSquares / 2));
}

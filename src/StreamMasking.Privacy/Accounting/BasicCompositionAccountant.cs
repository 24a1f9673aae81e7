namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// Basic composition (Dwork–Roth 2014, Theorem 3.16): k mechanisms that are (εᵢ, δᵢ)-DP compose to (Σεᵢ, Σδᵢ)-DP,
/// also when each is chosen adaptively. A cap with δ = 0 is a pure-ε budget: any cost with δ &gt; 0 is refused.
/// Accepts pure and approximate costs; zCDP costs have no (ε, δ) form without choosing a δ, so they are refused
/// (use <see cref="ZcdpAccountant"/>).
/// </summary>
public sealed class BasicCompositionAccountant : PrivacyAccountant
{
    private BasicCompositionAccountant()
    {
    }

    /// <summary>The accountant (it has no parameters).</summary>
    public static BasicCompositionAccountant Instance { get; } = new();

    public override AccountantKind Kind => AccountantKind.Basic;

    public override Delta Parameter => Delta.Zero;

    public override bool Accepts(PrivacyCostKind kind) =>
        kind is PrivacyCostKind.PureDp or PrivacyCostKind.ApproximateDp;

    public override void ValidateCap(PrivacyCost cap)
    {
        if (!Accepts(cap.Kind))
        {
            throw new ArgumentException("A basic-composition cap is a pure ε or an (ε, δ) cost.", nameof(cap));
        }
    }

    public override bool IsWithin(PrivacySpend spend, PrivacyCost cap) =>
        spend.Epsilon <= cap.Epsilon && spend.Delta <= cap.Delta;

    public override PrivacyCost Remaining(PrivacySpend spend, PrivacyCost cap)
    {
        var epsilon = Epsilon.Remaining(cap.Epsilon, spend.Epsilon);
        return cap.Kind == PrivacyCostKind.PureDp
            ? PrivacyCost.Pure(epsilon)
            : PrivacyCost.Approximate(epsilon, Delta.Remaining(cap.Delta, spend.Delta));
    }

    public override PrivacyCost Guarantee(PrivacySpend spend) =>
        spend.Delta == Delta.Zero ? PrivacyCost.Pure(spend.Epsilon) : PrivacyCost.Approximate(spend.Epsilon, spend.Delta);
}

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// zCDP accounting (Bun–Steinke 2016): ρᵢ-zCDP mechanisms compose to (Σρᵢ)-zCDP, adaptively. Pure ε-DP costs are
/// accepted as ε²/2-zCDP (their Proposition 1.4). The cap is a ρ. The reported guarantee converts Σρ to (ε, δ) at
/// the configured reporting δ with <see cref="ZcdpConversion.ToEpsilon"/>.
/// </summary>
public sealed class ZcdpAccountant : PrivacyAccountant
{
    /// <summary>Creates the accountant; <paramref name="reportingDelta"/> must be in (0, 1).</summary>
    public ZcdpAccountant(Delta reportingDelta)
    {
        if (reportingDelta.Value <= 0 || reportingDelta.Value >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(reportingDelta), reportingDelta, "Must be in (0, 1).");
        }

        Parameter = reportingDelta;
    }

    public override AccountantKind Kind => AccountantKind.Zcdp;

    /// <summary>The δ at which <see cref="Guarantee"/> reports ε.</summary>
    public override Delta Parameter { get; }

    public override bool Accepts(PrivacyCostKind kind) => kind is PrivacyCostKind.Zcdp or PrivacyCostKind.PureDp;

    public override void ValidateCap(PrivacyCost cap)
    {
        if (cap.Kind != PrivacyCostKind.Zcdp)
        {
            throw new ArgumentException("A zCDP cap is a ρ.", nameof(cap));
        }
    }

    public override bool IsWithin(PrivacySpend spend, PrivacyCost cap) => spend.Rho <= cap.Rho;

    public override PrivacyCost Remaining(PrivacySpend spend, PrivacyCost cap) =>
        PrivacyCost.Zcdp(Rho.Remaining(cap.Rho, spend.Rho));

    public override PrivacyCost Guarantee(PrivacySpend spend) =>
        PrivacyCost.Approximate(ZcdpConversion.ToEpsilon(spend.Rho, Parameter), Parameter);
}

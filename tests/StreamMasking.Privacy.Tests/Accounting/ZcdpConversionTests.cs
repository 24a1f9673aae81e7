using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Tests.Accounting;

public class ZcdpConversionTests
{
    [Fact]
    public void ToEpsilonStandard_KnownValue_MatchesFormula()
    {
        var epsilon = ZcdpConversion.ToEpsilonStandard(new Rho(0.5), new Delta(1e-6)).Value;
        var expected = 0.5 + (2 * Math.Sqrt(0.5 * Math.Log(1e6)));
        epsilon.ShouldBeGreaterThanOrEqualTo(expected);
        epsilon.ShouldBe(expected, 1e-9);
    }

    [Theory]
    [InlineData(0.01, 1e-5)]
    [InlineData(0.5, 1e-6)]
    [InlineData(2.0, 1e-9)]
    [InlineData(10.0, 1e-3)]
    public void ToEpsilonImproved_VariousRho_IsTighterAndEqualsGridMinimum(double rho, double delta)
    {
        var improved = ZcdpConversion.ToEpsilonImproved(new Rho(rho), new Delta(delta)).Value;
        var standard = ZcdpConversion.ToEpsilonStandard(new Rho(rho), new Delta(delta)).Value;
        improved.ShouldBeLessThan(standard);

        // Independent check: brute-force the Canonne–Kamath–Steinke bound over a fine log grid of α.
        var gridMinimum = double.MaxValue;
        for (var i = 0; i <= 200_000; i++)
        {
            var alpha = 1 + Math.Exp(-20 + (i * 40.0 / 200_000));
            var bound = (alpha * rho)
                + ((Math.Log(1 / delta) + ((alpha - 1) * Math.Log(1 - (1 / alpha))) - Math.Log(alpha)) / (alpha - 1));
            gridMinimum = Math.Min(gridMinimum, bound);
        }

        improved.ShouldBe(gridMinimum, gridMinimum * 1e-6);
    }

    [Theory]
    [InlineData(1.0, 1e-6)]
    [InlineData(0.1, 1e-9)]
    [InlineData(8.0, 1e-5)]
    public void MaxRhoFor_RoundTrip_StaysWithinEpsilon(double epsilon, double delta)
    {
        var rho = ZcdpConversion.MaxRhoFor(new Epsilon(epsilon), new Delta(delta));
        var back = ZcdpConversion.ToEpsilonStandard(rho, new Delta(delta)).Value;
        back.ShouldBeLessThanOrEqualTo(epsilon);
        back.ShouldBe(epsilon, epsilon * 1e-8);
    }

    [Fact]
    public void ZcdpAccountant_PureCost_CountsAsHalfEpsilonSquared()
    {
        var ledger = new BudgetLedger(
            new ZcdpAccountant(new Delta(1e-6)), PrivacyCost.Zcdp(new Rho(1)), PrivacyCost.Zcdp(new Rho(1)), 4);
        ledger.TryDebit(new ReleaseKey(0, "a"), PrivacyCost.Pure(new Epsilon(1))).Outcome.ShouldBe(DebitOutcome.Debited);
        ledger.TryDebit(new ReleaseKey(0, "b"), PrivacyCost.Zcdp(new Rho(0.5))).Outcome.ShouldBe(DebitOutcome.Debited);
        ledger.LifetimeSpend.Rho.Value.ShouldBe(1.0);
        ledger.TryDebit(new ReleaseKey(0, "c"), PrivacyCost.Zcdp(new Rho(1e-9))).Reason
            .ShouldBe(DebitRefusalReason.WindowCapExceeded);
        ledger.TryDebit(new ReleaseKey(0, "d"), PrivacyCost.Approximate(new Epsilon(0.1), new Delta(1e-9))).Reason
            .ShouldBe(DebitRefusalReason.UnsupportedCostKind);
        ledger.Accountant.Guarantee(ledger.LifetimeSpend).Epsilon.Value
            .ShouldBeLessThanOrEqualTo(ZcdpConversion.ToEpsilonStandard(new Rho(1), new Delta(1e-6)).Value);
    }
}

using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Tests.Accounting;

public class AdaptiveCompositionFilterTests
{
    [Fact]
    public void TryDebit_ManySmallCosts_StopsExactlyWhereFilterInequalityFails()
    {
        const double target = 1.0;
        const double slack = 1e-6;
        const double each = 0.01;
        var ledger = new BudgetLedger(
            new AdaptiveCompositionFilter(new Delta(slack)),
            PrivacyCost.Approximate(new Epsilon(target), new Delta(1e-5)),
            PrivacyCost.Approximate(new Epsilon(target), new Delta(1e-5)),
            1);
        var accepted = 0;
        while (ledger.TryDebit(new ReleaseKey(0, accepted.ToString(System.Globalization.CultureInfo.InvariantCulture)), PrivacyCost.Pure(new Epsilon(each))).IsPaid)
        {
            accepted++;
        }

        // Independent computation of the stopping point √(2 ln(1/δ′) n ε²) + n ε²/2 ≤ ε_target.
        var expected = 0;
        while (Math.Sqrt(2 * Math.Log(1 / slack) * (expected + 1) * each * each) + ((expected + 1) * each * each / 2) <= target)
        {
            expected++;
        }

        accepted.ShouldBe(expected);
        accepted.ShouldBeGreaterThan(100); // basic composition would stop at 100
        ledger.RemainingLifetime().Epsilon.Value.ShouldBeLessThan(each);
    }

    [Fact]
    public void TryDebit_DeltaBeyondTargetMinusSlack_Refused()
    {
        var ledger = new BudgetLedger(
            new AdaptiveCompositionFilter(new Delta(4e-6)),
            PrivacyCost.Approximate(new Epsilon(1), new Delta(1e-5)),
            PrivacyCost.Approximate(new Epsilon(1), new Delta(1e-5)),
            1);
        ledger.TryDebit(new ReleaseKey(0, "a"), PrivacyCost.Approximate(new Epsilon(0.01), new Delta(5e-6))).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(0, "b"), PrivacyCost.Approximate(new Epsilon(0.01), new Delta(2e-6))).Reason
            .ShouldBe(DebitRefusalReason.WindowCapExceeded);
        ledger.TryDebit(new ReleaseKey(0, "c"), PrivacyCost.Approximate(new Epsilon(0.01), new Delta(5e-7))).IsPaid.ShouldBeTrue();
    }
}

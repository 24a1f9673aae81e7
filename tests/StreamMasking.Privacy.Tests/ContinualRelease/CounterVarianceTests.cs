using StreamMasking.Privacy.ContinualRelease;

namespace StreamMasking.Privacy.Tests.ContinualRelease;

/// <summary>
/// Empirical noise of the counters on all-zero streams against the exact theory. Seeds are fixed, so each test is
/// deterministic; the stated false-failure rates are the probabilities that a correct implementation fails for a
/// random choice of seeds.
/// </summary>
public class CounterVarianceTests
{
    [Fact]
    public void SquareRoot_AllZeroStream4000Runs_PerStepVarianceWithin10PercentOfTheory()
    {
        // The sample variance of 4,000 Gaussian outputs has relative standard error √(2/3999) = 2.24%, so ±10% is
        // 4.47 standard errors: two-sided p ≈ 8e-6 per step, < 6e-4 over 64 steps (union bound).
        const int runs = 4000;
        const int steps = 64;
        var options = CounterTestKit.Options(CounterMechanism.SquareRootFactorization, 6, sensitivity: 2, budget: 0.5);
        var counter = ContinualCounter.Create(options, CounterTestKit.Key(0));
        var variances = CounterTestKit.SampleVariances(CounterTestKit.ZeroStreamOutputs(options, runs, steps, 1000));
        for (var t = 1; t <= steps; t++)
        {
            (variances[t - 1] / counter.Variance(t)).ShouldBeInRange(0.90, 1.10, $"step {t}");
        }
    }

    [Theory]
    [InlineData(CounterMechanism.BinaryTree)]
    [InlineData(CounterMechanism.BinaryTreeHonaker)]
    public void BinaryTree_AllZeroStream10000Runs_PerStepVarianceWithin10PercentOfTheory(CounterMechanism mechanism)
    {
        // Worst step is a single Laplace node (excess kurtosis 3): relative standard error of the sample variance
        // √((2 + 3)/10000) = 2.24%, so ±10% is ≥ 4.47 standard errors: p ≈ 1e-5 per step, < 2e-4 over 16 steps.
        const int runs = 10000;
        const int steps = 16;
        var options = CounterTestKit.Options(mechanism, 4, sensitivity: 1, budget: 1);
        var counter = ContinualCounter.Create(options, CounterTestKit.Key(0));
        var variances = CounterTestKit.SampleVariances(CounterTestKit.ZeroStreamOutputs(options, runs, steps, 50_000));
        for (var t = 1; t <= steps; t++)
        {
            (variances[t - 1] / counter.Variance(t)).ShouldBeInRange(0.90, 1.10, $"step {t}");
        }
    }

    [Fact]
    public void BinaryTreeHonaker_SameHorizon_HasLowerVarianceThanPlainTree()
    {
        var plain = ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.BinaryTree, 10), CounterTestKit.Key(1));
        var honaker = ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.BinaryTreeHonaker, 10), CounterTestKit.Key(1));
        var plainTotal = 0.0;
        var honakerTotal = 0.0;
        for (var t = 1L; t <= 1024; t++)
        {
            honaker.Variance(t).ShouldBeLessThanOrEqualTo(plain.Variance(t));
            plainTotal += plain.Variance(t);
            honakerTotal += honaker.Variance(t);
        }

        (honakerTotal / plainTotal).ShouldBeLessThan(0.75);

        // Empirically too (4,000 runs at T = 16, theoretical ratio 22.69/33 = 0.69). Even if all steps were perfectly
        // correlated, each mean-over-steps variance has relative standard error ≤ √(5/4000) = 3.5%, the ratio ≤ 5%,
        // so the 0.85 threshold is ≥ 4.6 standard errors away: false-failure rate < 3e-6.
        var plainRuns = CounterTestKit.SampleVariances(CounterTestKit.ZeroStreamOutputs(CounterTestKit.Options(CounterMechanism.BinaryTree, 4), 4000, 16, 7_000));
        var honakerRuns = CounterTestKit.SampleVariances(CounterTestKit.ZeroStreamOutputs(CounterTestKit.Options(CounterMechanism.BinaryTreeHonaker, 4), 4000, 16, 19_000));
        (honakerRuns.Sum() / plainRuns.Sum()).ShouldBeLessThan(0.85);
    }

    [Fact]
    public void SquareRoot_EmpiricalRmsFactorAtHorizon128_MatchesExactFactor()
    {
        // RMS over t of √Var_t / σ_unit with σ_unit = Δ/√(2ρ), from 1,000 runs. The estimate of mean_t Var_t has
        // relative standard error at most √(2/999) = 4.5% (if all steps were perfectly correlated), i.e. ≤ 2.3% on
        // the factor, so ±8% is ≥ 3.5 standard errors: false-failure rate < 5e-4.
        const int runs = 1000;
        const int steps = 128;
        const double sensitivity = 1;
        const double rho = 2;
        var options = CounterTestKit.Options(CounterMechanism.SquareRootFactorization, 7, sensitivity, rho);
        var variances = CounterTestKit.SampleVariances(CounterTestKit.ZeroStreamOutputs(options, runs, steps, 123_000));
        var sigmaUnit = sensitivity / Math.Sqrt(2 * rho);
        var empirical = Math.Sqrt(variances.Average()) / sigmaUnit;
        var exact = CounterErrorFactors.SquareRoot(7).Rms;
        (empirical / exact).ShouldBeInRange(0.92, 1.08);
    }
}

using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Release;

/// <summary>
/// Released window counts minus the true counts must follow the declared noise distribution, rounded to the integer
/// lattice counts are released on (rounding X gives an integer above t exactly when X > ⌊t⌋ + 0.5). The noise key is fixed,
/// so each test is deterministic; over a random choice of key each check is a 5σ binomial bound, so a correct
/// implementation fails a given check with probability below 6e-7 and a test (at most 5 checks) below 3e-6.
/// </summary>
public sealed class ReleaseNoiseDistributionTests
{
    private const int Windows = 3000;

    private static readonly BudgetSpec Unlimited = new()
    {
        WindowCap = PrivacyCost.Approximate(new Epsilon(100), new Delta(0.5)),
        LifetimeCap = PrivacyCost.Approximate(new Epsilon(1e9), new Delta(0.5)),
    };

    [Fact]
    public void Release_LaplaceCounts_NoiseHasDeclaredLaplaceTails()
    {
        var (noise, scale) = Noise(NoiseParameters.Laplace(0.5));
        scale.ShouldBeInRange(2.0, 2.0 * (1 + 1e-9)); // b = Δ/ε on a 2^-40-relative lattice

        // Laplace(b): P(|X| > t) = e^{−t/b}; P(X > 0.5) = P(X < −0.5) = e^{−0.5/b}/2.
        noise.ShouldAllBe(x => x == Math.Round(x));
        for (var m = 1; m <= 3; m++)
        {
            var threshold = m * scale;
            AssertBinomial(noise.Count(x => Math.Abs(x) > threshold), Math.Exp(-(Math.Floor(threshold) + 0.5) / scale));
        }

        AssertBinomial(noise.Count(x => x > 0), Math.Exp(-0.5 / scale) / 2);
        AssertBinomial(noise.Count(x => x < 0), Math.Exp(-0.5 / scale) / 2);
    }

    [Fact]
    public void Release_GaussianCounts_NoiseHasDeclaredGaussianMass()
    {
        var (noise, sigma) = Noise(NoiseParameters.Gaussian(1, 1e-6));
        sigma.ShouldBeGreaterThan(3);

        // Discrete Gaussian on a lattice ≤ σ/2^20 (lattice error ≪ 1e-4): P(|X| ≤ t) = erf(t/(σ√2)), then rounded.
        noise.ShouldAllBe(x => x == Math.Round(x));
        for (var m = 1; m <= 2; m++)
        {
            var threshold = m * sigma;
            AssertBinomial(noise.Count(x => Math.Abs(x) <= threshold), Erf((Math.Floor(threshold) + 0.5) / (sigma * Math.Sqrt(2))));
        }

        AssertBinomial(noise.Count(x => x > 0), (1 - Erf(0.5 / (sigma * Math.Sqrt(2)))) / 2);
    }

    private static (double[] Noise, double Scale) Noise(NoiseParameters parameters)
    {
        var spec = Segment([Count() with { Noise = parameters }], Unlimited);
        var ledger = spec.Budget.CreateLedger();
        var noise = new double[Windows];
        var scale = 0.0;
        for (var i = 0; i < Windows; i++)
        {
            var count = (i * 37) % 101;
            var window = new SealedWindow(spec.Segment, i, i * 60_000L, (i + 1) * 60_000L, [new SealedAggregate("visits", AggregateKind.Count, count, 0, [], 0)]);
            var release = WindowReleaser.Release(window, spec, NoiseKey, ledger).Single().Release!;
            noise[i] = release.Value!.Value - count;
            scale = release.NoiseScale;
        }

        return (noise, scale);
    }

    private static double Erf(double x) => MathNet.Numerics.SpecialFunctions.Erf(x);

    private static void AssertBinomial(int observed, double p)
    {
        var mean = Windows * p;
        var sd = Math.Sqrt(Windows * p * (1 - p));
        Math.Abs(observed - mean).ShouldBeLessThan(5 * sd, $"observed {observed}, expected {mean:F1} ± {sd:F1}");
    }
}

using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Tests.Statistics;
using Xunit.Abstractions;

namespace StreamMasking.Privacy.Tests.Mechanisms;

/// <summary>
/// Empirical privacy audits: neighbouring inputs, an event chosen on a pilot batch, a Clopper–Pearson lower bound on
/// ε from a fresh batch. For a correct mechanism the bound exceeds the claimed ε with probability at most
/// <see cref="Alpha"/> = 1e-4 (the false-failure rate of each "never above" test). Each broken variant (noise for a
/// wrong sensitivity, i.e. a true ε at least twice the claim) is caught with the same batch sizes.
/// </summary>
public class EmpiricalPrivacyTests(ITestOutputHelper output)
{
    private const double Alpha = 1e-4;
    private const int Pilot = 30_000;
    private const int Audit = 150_000;
    private const double ClaimedEpsilon = 1.0;

    private double Audit2(Func<IRandomSource, double> first, Func<IRandomSource, double> second, ulong seed)
    {
        var random = new SeededRandomSource(seed);
        var bound = EmpiricalPrivacy.EpsilonLowerBound(() => first(random), () => second(random), Pilot, Audit, Alpha);
        output.WriteLine($"empirical epsilon lower bound: {bound:F4} (claimed {ClaimedEpsilon})");
        return bound;
    }

    private static double Count(IRandomSource random, long count, double epsilon) =>
        CountMechanism.Release(random, count, ContributionBounds.EventLevel, NoiseParameters.Laplace(epsilon)).Value;

    [Fact]
    public void LaplaceCount_Neighbours_EmpiricalEpsilonNotAboveClaim()
    {
        var bound = Audit2(r => Count(r, 0, ClaimedEpsilon), r => Count(r, 1, ClaimedEpsilon), 101);
        bound.ShouldBeLessThanOrEqualTo(ClaimedEpsilon);
        bound.ShouldBeGreaterThan(0.8 * ClaimedEpsilon, "the audit should be nearly tight for a count");
    }

    [Fact]
    public void GaussianCount_Neighbours_EmpiricalEpsilonNotAboveClaim()
    {
        const double delta = 1e-5;
        static double Gaussian(IRandomSource random, long count) =>
            CountMechanism.Release(random, count, ContributionBounds.EventLevel, NoiseParameters.Gaussian(ClaimedEpsilon, delta)).Value;
        var random = new SeededRandomSource(112);
        var bound = EmpiricalPrivacy.EpsilonLowerBound(() => Gaussian(random, 0), () => Gaussian(random, 1), Pilot, Audit, Alpha, delta);
        output.WriteLine($"empirical epsilon lower bound (Gaussian, delta {delta}): {bound:F4} (claimed {ClaimedEpsilon})");
        bound.ShouldBeLessThanOrEqualTo(ClaimedEpsilon);
    }

    [Fact]
    public void LaplaceCount_HalvedScale_IsCaught()
    {
        // Broken: noise for ε = 2 while claiming ε = 1.
        Audit2(r => Count(r, 0, 2 * ClaimedEpsilon), r => Count(r, 1, 2 * ClaimedEpsilon), 102).ShouldBeGreaterThan(ClaimedEpsilon);
    }

    private static double Sum(IRandomSource random, double sum, ClampBounds clamp) =>
        SumMechanism.Release(random, sum, clamp, ContributionBounds.EventLevel, NoiseParameters.Laplace(ClaimedEpsilon)).Value;

    [Fact]
    public void LaplaceSum_Neighbours_EmpiricalEpsilonNotAboveClaim()
    {
        var clamp = new ClampBounds(0, 10);
        var bound = Audit2(r => Sum(r, 0, clamp), r => Sum(r, 10, clamp), 103);
        bound.ShouldBeLessThanOrEqualTo(ClaimedEpsilon);
    }

    [Fact]
    public void LaplaceSum_SensitivityFromWrongBounds_IsCaught()
    {
        // Broken: calibrated to clamp [0, 5] but the record really contributes 10.
        var wrong = new ClampBounds(0, 5);
        Audit2(r => Sum(r, 0, wrong), r => Sum(r, 10, wrong), 104).ShouldBeGreaterThan(ClaimedEpsilon);
    }

    private static readonly string[] s_domain = ["a", "b", "c"];

    private static double HistogramProjection(IRandomSource random, bool withUnit, ContributionBounds bounds)
    {
        var counts = withUnit
            ? new Dictionary<string, long> { ["a"] = 6, ["b"] = 4, ["c"] = 2 }
            : new Dictionary<string, long> { ["a"] = 5, ["b"] = 3, ["c"] = 2 };
        var bins = HistogramMechanism.Release(random, counts, s_domain, bounds, NoiseParameters.Laplace(ClaimedEpsilon));

        // Post-processing to a scalar keeps the lower bound valid.
        return bins[0].Result.Value + bins[1].Result.Value;
    }

    [Fact]
    public void LaplaceHistogram_UnitInTwoBins_EmpiricalEpsilonNotAboveClaim()
    {
        var bounds = new ContributionBounds(2, 1);
        Audit2(r => HistogramProjection(r, false, bounds), r => HistogramProjection(r, true, bounds), 105)
            .ShouldBeLessThanOrEqualTo(ClaimedEpsilon);
    }

    [Fact]
    public void LaplaceHistogram_L0Ignored_IsCaught()
    {
        // Broken: the unit touches two bins but noise is calibrated for one.
        var wrong = new ContributionBounds(1, 1);
        Audit2(r => HistogramProjection(r, false, wrong), r => HistogramProjection(r, true, wrong), 106)
            .ShouldBeGreaterThan(ClaimedEpsilon);
    }

    [Theory]
    [InlineData(2, 107UL)]
    [InlineData(4, 108UL)]
    public void RandomizedResponse_Neighbours_EmpiricalEpsilonNotAboveClaim(int categories, ulong seed)
    {
        var rr = new RandomizedResponse(categories, new Epsilon(ClaimedEpsilon));
        Audit2(r => rr.Report(r, 0), r => rr.Report(r, 1), seed).ShouldBeLessThanOrEqualTo(ClaimedEpsilon);
    }

    [Fact]
    public void RandomizedResponse_DoubleEpsilon_IsCaught()
    {
        var broken = new RandomizedResponse(2, new Epsilon(2 * ClaimedEpsilon));
        Audit2(r => broken.Report(r, 0), r => broken.Report(r, 1), 109).ShouldBeGreaterThan(ClaimedEpsilon);
    }

    private static readonly string[] s_candidates = ["a", "b"];

    private static double TopOne(IRandomSource random, double[] scores, double sensitivity) =>
        TopKMechanism.Select(random, s_candidates, scores, 1, sensitivity, new Epsilon(ClaimedEpsilon)).Selected[0] == "a" ? 0 : 1;

    // Scores (0, 0) versus (1, −1): each score moves by the sensitivity 1, the worst case for permute-and-flip.
    [Fact]
    public void PermuteAndFlipTopK_Neighbours_EmpiricalEpsilonNotAboveClaim()
    {
        Audit2(r => TopOne(r, [0, 0], 1), r => TopOne(r, [1, -1], 1), 110).ShouldBeLessThanOrEqualTo(ClaimedEpsilon);
    }

    [Fact]
    public void PermuteAndFlipTopK_HalvedSensitivity_IsCaught()
    {
        Audit2(r => TopOne(r, [0, 0], 0.5), r => TopOne(r, [1, -1], 0.5), 111).ShouldBeGreaterThan(ClaimedEpsilon);
    }
}

using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Mechanisms;

public class NumericMechanismTests
{
    // Coverage of the 90% interval over 20,000 releases must be at least 0.90 − 5 SE (SE ≈ 0.0021); the intervals
    // are conservative, so the false-failure rate is below 3e-7.
    [Theory]
    [InlineData("laplace")]
    [InlineData("gaussian")]
    public void CountRelease_ConfidenceInterval_CoversAtLeastLevel(string family)
    {
        var noise = family == "laplace" ? NoiseParameters.Laplace(0.5) : NoiseParameters.Gaussian(0.5, 1e-6);
        var random = new SeededRandomSource(201);
        const int n = 20_000;
        var covered = 0;
        for (var i = 0; i < n; i++)
        {
            var result = CountMechanism.Release(random, 1234, new ContributionBounds(1, 3), noise, 0.9);
            covered += result.ConfidenceInterval.Lower <= 1234 && 1234 <= result.ConfidenceInterval.Upper ? 1 : 0;
        }

        ((double)covered / n).ShouldBeGreaterThan(0.9 - (5 * Math.Sqrt(0.09 / n)));
    }

    [Fact]
    public void CountRelease_Metadata_DescribesMechanism()
    {
        var result = CountMechanism.Release(new SeededRandomSource(1), 10, new ContributionBounds(1, 2), NoiseParameters.Laplace(0.5));
        result.Mechanism.ShouldBe("laplace-count");
        result.Epsilon.Value.ShouldBe(0.5);
        result.Delta.Value.ShouldBe(0);
        result.NoiseScale.ShouldBeGreaterThanOrEqualTo(2 / 0.5);
        result.NoiseScale.ShouldBeLessThan(2 / 0.5 * (1 + 1e-9));
        (result.Value / result.Granularity).ShouldBe(Math.Floor(result.Value / result.Granularity));
        result.ConfidenceInterval.Level.ShouldBe(0.95);
    }

    [Fact]
    public void SumRelease_LaplaceScale_UsesClampMagnitudeTimesContributions()
    {
        var result = SumMechanism.Release(
            new SeededRandomSource(2), 50, new ClampBounds(-20, 10), new ContributionBounds(1, 3), NoiseParameters.Laplace(1));
        result.NoiseScale.ShouldBeGreaterThanOrEqualTo(60);
        result.NoiseScale.ShouldBeLessThan(60 * (1 + 1e-9));
    }

    // Mean of 1000 values at 7 in [0, 10]: the noisy mean is within its 99% interval in ≥ 99% − 5 SE of 2000 runs
    // (false-failure rate below 3e-7), and the average error is small.
    [Fact]
    public void MeanRelease_ManyValues_AccurateAndCovered()
    {
        var random = new SeededRandomSource(3);
        var clamp = new ClampBounds(0, 10);
        const int runs = 2000;
        var covered = 0;
        double totalError = 0;
        for (var i = 0; i < runs; i++)
        {
            var result = MeanMechanism.Release(random, 7000, 1000, clamp, ContributionBounds.EventLevel, NoiseParameters.Laplace(1), 0.99);
            covered += result.ConfidenceInterval.Lower <= 7 && 7 <= result.ConfidenceInterval.Upper ? 1 : 0;
            totalError += Math.Abs(result.Value - 7);
            result.Value.ShouldBeInRange(0, 10);
        }

        ((double)covered / runs).ShouldBeGreaterThan(0.99 - (5 * Math.Sqrt(0.0099 / runs)));
        (totalError / runs).ShouldBeLessThan(0.05);
    }

    [Fact]
    public void HistogramRelease_DeclaredDomain_ReleasesEveryKeyAndOnlyThose()
    {
        var counts = new Dictionary<string, long> { ["x"] = 10, ["secret-key"] = 99 };
        var bins = HistogramMechanism.Release(
            new SeededRandomSource(4), counts, ["x", "y", "z"], new ContributionBounds(2, 1), NoiseParameters.Gaussian(1, 1e-6));
        bins.Select(b => b.Key).ShouldBe(["x", "y", "z"]);
        bins.ShouldAllBe(b => b.Result.Mechanism == "gaussian-histogram");
    }

    [Fact]
    public void HistogramRelease_LaplaceScale_IsL0TimesLinfOverEpsilon()
    {
        var bins = HistogramMechanism.Release(
            new SeededRandomSource(5), new Dictionary<string, long>(), ["a", "b", "c", "d"], new ContributionBounds(3, 2), NoiseParameters.Laplace(2));
        bins[0].Result.NoiseScale.ShouldBeGreaterThanOrEqualTo(3.0);
        bins[0].Result.NoiseScale.ShouldBeLessThan(3.0 * (1 + 1e-9));
    }

    [Fact]
    public void NoiseParameters_InvalidCombinations_Throw()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => NoiseParameters.Laplace(0));
        Should.Throw<ArgumentOutOfRangeException>(() => NoiseParameters.Gaussian(1, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => new ClampBounds(1, 0));
        Should.Throw<ArgumentOutOfRangeException>(() => new ContributionBounds(0, 1));
    }
}

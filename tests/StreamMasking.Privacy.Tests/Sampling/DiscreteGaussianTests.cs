using System.Numerics;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;
using StreamMasking.Privacy.Tests.Statistics;

namespace StreamMasking.Privacy.Tests.Sampling;

public class DiscreteGaussianTests
{
    private static Func<long, double> Pmf(double sigmaSquared)
    {
        var support = (long)Math.Ceiling(40 * Math.Sqrt(sigmaSquared)) + 10;
        double normaliser = 0;
        for (var x = -support; x <= support; x++)
        {
            normaliser += Math.Exp(-(double)x * x / (2 * sigmaSquared));
        }

        return x => Math.Exp(-(double)x * x / (2 * sigmaSquared)) / normaliser;
    }

    // Chi-square p > 1e-4 and moments within 5 standard errors: false-failure rate below 2e-4 per case.
    [Theory]
    [InlineData(100, 1, 32UL, 1_000_000)] // integer σ: 64-bit path (the lattice path)
    [InlineData(7, 2, 31UL, 250_000)]     // rational σ²: BigInteger path
    [InlineData(1, 4, 33UL, 250_000)]     // σ < 1
    public void Sample_ManyDraws_MatchesExactPmf(long numerator, long denominator, ulong seed, int draws)
    {
        var random = new SeededRandomSource(seed);
        var samples = new long[draws];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = DiscreteGaussian.Sample(random, new BigInteger(numerator), new BigInteger(denominator));
        }

        var sigmaSquared = (double)numerator / denominator;
        var support = (long)Math.Ceiling(30 * Math.Sqrt(sigmaSquared)) + 10;
        GoodnessOfFit.ChiSquarePValue(samples, Pmf(sigmaSquared), support).ShouldBeGreaterThan(1e-4);
        GoodnessOfFit.AssertMoments(samples, Pmf(sigmaSquared), support, 5);
    }

    // Large σ (2^20, the granular-noise regime): variance within 5 standard errors; false-failure rate below 1e-6.
    [Fact]
    public void Sample_LargeSigma_VarianceMatches()
    {
        var random = new SeededRandomSource(34);
        const ulong sigma = 1UL << 20;
        var samples = new long[200_000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = DiscreteGaussian.Sample(random, sigma * sigma);
        }

        var variance = samples.Average(x => (double)x * x);
        var expected = (double)sigma * sigma;
        Math.Abs(variance - expected).ShouldBeLessThan(5 * expected * Math.Sqrt(2.0 / samples.Length));
    }
}

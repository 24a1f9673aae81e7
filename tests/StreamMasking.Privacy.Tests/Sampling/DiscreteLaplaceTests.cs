using System.Numerics;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;
using StreamMasking.Privacy.Tests.Statistics;

namespace StreamMasking.Privacy.Tests.Sampling;

public class DiscreteLaplaceTests
{
    private static Func<long, double> Pmf(double t)
    {
        var r = Math.Exp(-1 / t);
        return x => (1 - r) / (1 + r) * Math.Pow(r, Math.Abs(x));
    }

    // Chi-square p > 1e-4 and moments within 5 standard errors: false-failure rate below 2e-4 per case for an exact
    // sampler (the seed is fixed, so the outcome is deterministic; the rate is over the choice of seed).
    [Theory]
    [InlineData(3, 2, 11UL, 1_000_000)]  // rational scale: CKS algorithm
    [InlineData(10, 1, 12UL, 1_000_000)] // integer scale: von Neumann exponential (the lattice path)
    [InlineData(1, 3, 13UL, 250_000)]
    public void Sample_ManyDraws_MatchesExactPmf(long numerator, long denominator, ulong seed, int draws)
    {
        var random = new SeededRandomSource(seed);
        var samples = new long[draws];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = DiscreteLaplace.Sample(random, (ulong)numerator, (ulong)denominator);
        }

        var t = (double)numerator / denominator;
        var support = (long)Math.Ceiling(80 * t) + 10;
        GoodnessOfFit.ChiSquarePValue(samples, Pmf(t), support).ShouldBeGreaterThan(1e-4);
        GoodnessOfFit.AssertMoments(samples, Pmf(t), support, 5);
    }

    // BigInteger path (scale 10 written as 10^30 / 10^29); 2·10^5 draws; false-failure rate below 1e-4.
    [Fact]
    public void Sample_BigIntegerScale_MatchesExactPmf()
    {
        var random = new SeededRandomSource(21);
        var samples = new long[200_000];
        var numerator = BigInteger.Pow(10, 30);
        var denominator = BigInteger.Pow(10, 29);
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = DiscreteLaplace.Sample(random, numerator, denominator);
        }

        GoodnessOfFit.ChiSquarePValue(samples, Pmf(10), 900).ShouldBeGreaterThan(1e-4);
    }

    [Fact]
    public void Sample_NonPositiveScale_Throws()
    {
        var random = new SeededRandomSource(1);
        Should.Throw<ArgumentOutOfRangeException>(() => DiscreteLaplace.Sample(random, BigInteger.Zero, BigInteger.One));
        Should.Throw<ArgumentOutOfRangeException>(() => DiscreteLaplace.Sample(random, BigInteger.One, BigInteger.MinusOne));
    }
}

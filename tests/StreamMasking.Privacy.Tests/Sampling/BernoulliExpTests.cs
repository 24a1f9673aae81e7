using System.Numerics;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.Tests.Sampling;

public class BernoulliExpTests
{
    // Frequency within 5 standard errors of exp(−γ): false-failure rate below 6e-7 per case.
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 3)]
    [InlineData(1, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 1000)]
    public void Sample_RationalGamma_FrequencyMatchesExp(long numerator, long denominator)
    {
        var random = new SeededRandomSource((ulong)(numerator * 1000 + denominator));
        const int n = 300_000;
        var hits = 0;
        for (var i = 0; i < n; i++)
        {
            if (BernoulliExp.Sample(random, new BigInteger(numerator), new BigInteger(denominator)))
            {
                hits++;
            }
        }

        var p = Math.Exp(-(double)numerator / denominator);
        var standardError = Math.Sqrt(p * (1 - p) / n);
        Math.Abs(((double)hits / n) - p).ShouldBeLessThanOrEqualTo(5 * standardError + 1e-12);
    }

    [Fact]
    public void Sample_HugeRational_UsesBigIntegerPathAndMatches()
    {
        // γ = (2^200 + 1) / 2^201 ≈ 1/2; 2·10^5 draws within 5 SE (false-failure rate below 6e-7).
        var random = new SeededRandomSource(5);
        var numerator = (BigInteger.One << 200) + 1;
        var denominator = BigInteger.One << 201;
        const int n = 200_000;
        var hits = 0;
        for (var i = 0; i < n; i++)
        {
            hits += BernoulliExp.Sample(random, numerator, denominator) ? 1 : 0;
        }

        var p = Math.Exp(-0.5);
        Math.Abs(((double)hits / n) - p).ShouldBeLessThan(5 * Math.Sqrt(p * (1 - p) / n));
    }
}

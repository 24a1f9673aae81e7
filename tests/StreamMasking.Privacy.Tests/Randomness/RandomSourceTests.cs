using System.Numerics;
using MathNet.Numerics.Distributions;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Randomness;

public class RandomSourceTests
{
    [Fact]
    public void SeededRandomSource_SameSeed_SameSequence()
    {
        var a = new SeededRandomSource(42);
        var b = new SeededRandomSource(42);
        var c = new SeededRandomSource(43);
        var first = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        first.ShouldBe(Enumerable.Range(0, 100).Select(_ => b.NextUInt64()).ToArray());
        first.ShouldNotBe(Enumerable.Range(0, 100).Select(_ => c.NextUInt64()).ToArray());
    }

    [Fact]
    public void SecureRandomSource_ManyThreads_DistinctValues()
    {
        var values = new System.Collections.Concurrent.ConcurrentBag<ulong>();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                values.Add(SecureRandomSource.Instance.NextUInt64());
            }
        });
        values.Distinct().Count().ShouldBe(80_000);
    }

    // Chi-square uniformity over 7 (not a power of two, so modulo bias would show); p > 1e-4: false-failure rate 1e-4.
    [Theory]
    [InlineData("seeded")]
    [InlineData("secure")]
    public void NextBelow_SmallBound_Uniform(string kind)
    {
        IRandomSource random = kind == "seeded" ? new SeededRandomSource(7) : SecureRandomSource.Instance;
        const int n = 700_000;
        var counts = new long[7];
        for (var i = 0; i < n; i++)
        {
            counts[random.NextBelow(7UL)]++;
        }

        var statistic = counts.Sum(c => (c - (n / 7.0)) * (c - (n / 7.0)) / (n / 7.0));
        (1 - ChiSquared.CDF(6, statistic)).ShouldBeGreaterThan(1e-4);
    }

    [Fact]
    public void NextBelow_LargeBound_HitsBothHalvesWithoutBias()
    {
        // Bound just above 2^64 · 1.5: values below 2^64 should appear with probability 2/3 (5 SE, rate < 6e-7).
        var random = new SeededRandomSource(9);
        var bound = (UInt128)ulong.MaxValue + 1 + ((UInt128)ulong.MaxValue / 2);
        var bigBound = new BigInteger(ulong.MaxValue) * 3 / 2;
        const int n = 100_000;
        var low = 0;
        var bigLow = 0;
        for (var i = 0; i < n; i++)
        {
            var value = random.NextBelow(bound);
            value.ShouldBeLessThan(bound);
            low += value <= ulong.MaxValue ? 1 : 0;
            var big = random.NextBelow(bigBound * bigBound);
            big.ShouldBeLessThan(bigBound * bigBound);
            bigLow += big < bigBound * bigBound / 2 ? 1 : 0;
        }

        var p = (double)((BigInteger)ulong.MaxValue + 1) / (double)bound;
        Math.Abs(((double)low / n) - p).ShouldBeLessThan(5 * Math.Sqrt(p * (1 - p) / n));
        Math.Abs(((double)bigLow / n) - 0.5).ShouldBeLessThan(5 * Math.Sqrt(0.25 / n));
    }

    // Exact Bernoulli(3/10): frequency within 5 standard errors (false-failure rate below 6e-7).
    [Fact]
    public void NextBernoulli_Rational_FrequencyMatches()
    {
        var random = new SeededRandomSource(10);
        const int n = 1_000_000;
        var hits = 0;
        for (var i = 0; i < n; i++)
        {
            hits += random.NextBernoulli(3UL, 10UL) ? 1 : 0;
        }

        Math.Abs(((double)hits / n) - 0.3).ShouldBeLessThan(5 * Math.Sqrt(0.21 / n));
    }
}

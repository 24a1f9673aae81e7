using MathNet.Numerics.Distributions;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;
using StreamMasking.Privacy.Tests.Statistics;

namespace StreamMasking.Privacy.Tests.Sampling;

/// <summary>
/// The fresh-noise discrete Laplace (<see cref="PackedExponential"/>), run on seeded sources so the checks are
/// repeatable. Narrow digits make the continuations common: with 2-bit digits a comparison ties with probability 1/4
/// and a run outlasts a word's 32 digits rarely but the lazy uniforms serve most trials.
/// </summary>
public class PackedExponentialTests
{
    private static Func<long, double> Pmf(double t)
    {
        var r = Math.Exp(-1 / t);
        return x => (1 - r) / (1 + r) * Math.Pow(r, Math.Abs(x));
    }

    // Chi-square p > 1e-4 and moments within 5 standard errors: false-failure rate below 2e-4 per case for an exact
    // sampler (the seed is fixed, so the outcome is deterministic; the rate is over the choice of seed).
    [Theory]
    [InlineData(10UL, 16, 41UL, 1_000_000)] // the production digit width: packed decisions, rare continuations
    [InlineData(1UL, 16, 42UL, 500_000)]
    [InlineData(10UL, 2, 43UL, 500_000)]    // ties on one comparison in four: the lazy uniforms
    [InlineData(3UL, 4, 44UL, 500_000)]
    [InlineData(7UL, 8, 45UL, 500_000)]
    public void SamplePacked_ManyDraws_MatchesExactPmf(ulong t, int digitBits, ulong seed, int draws)
    {
        var random = new SeededRandomSource(seed);
        var samples = new long[draws];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = DiscreteLaplace.SamplePacked(BitReader.For(random), t, digitBits);
        }

        var support = (long)Math.Ceiling(80.0 * t) + 10;
        GoodnessOfFit.ChiSquarePValue(samples, Pmf(t), support).ShouldBeGreaterThan(1e-4);
        GoodnessOfFit.AssertMoments(samples, Pmf(t), support, 5);
    }

    // The lattice scale t = 2^40: tail masses P(|X| ≥ c) = 2r^c/(1 + r) at c from t/8 to 4t, the sign, and the two
    // lowest bits (which come from the accepted uniform's tail word) each within 5 standard errors (or chi-square
    // p > 1e-4): false-failure rate below 1e-5 in all.
    [Theory]
    [InlineData(16, 51UL)]
    [InlineData(2, 52UL)]
    public void SamplePacked_LatticeScale_TailsSignAndLowBitsMatch(int digitBits, ulong seed)
    {
        const ulong t = 1UL << 40;
        const int draws = 400_000;
        var random = new SeededRandomSource(seed);
        var thresholds = new[] { t / 8, t / 2, t, 2 * t, 4 * t };
        var above = new long[thresholds.Length];
        var negative = 0L;
        var lowBits = new long[4];
        for (var i = 0; i < draws; i++)
        {
            var x = DiscreteLaplace.SamplePacked(BitReader.For(random), t, digitBits);
            var magnitude = (ulong)Math.Abs(x);
            for (var j = 0; j < thresholds.Length; j++)
            {
                above[j] += magnitude >= thresholds[j] ? 1 : 0;
            }

            negative += x < 0 ? 1 : 0;
            lowBits[magnitude & 3]++;
        }

        var r = Math.Exp(-1.0 / t);
        for (var j = 0; j < thresholds.Length; j++)
        {
            var p = 2 * Math.Pow(r, thresholds[j]) / (1 + r);
            ZScore(above[j], draws, p).ShouldBeLessThan(5, $"P(|X| ≥ {thresholds[j]})");
        }

        ZScore(negative, draws, 0.5).ShouldBeLessThan(5);
        var statistic = lowBits.Sum(c => (c - (draws / 4.0)) * (c - (draws / 4.0)) / (draws / 4.0));
        (1 - ChiSquared.CDF(3, statistic)).ShouldBeGreaterThan(1e-4);
    }

    // U0 and U1 tie on their first digit 0x1234, and the next digits decide. U0 = 0x1234_FFFF… > U1 = 0x1234_0000…
    // and U2 = 0xFFFF_FFFF… gives a run of 2 (rejected, ⌊E⌋ = 1), then a run of 1 accepts: |X| = ⌊1·(1 + U0')⌋ = 1.
    // The other order accepts at once: 0. Deciding on the tied digits alone would answer 0 both times.
    [Theory]
    [InlineData(0x00000000_FFFFFFFFUL, 1L)]
    [InlineData(0xFFFFFFFF_00000000UL, 0L)]
    public void SamplePacked_FirstDigitsTie_DecidedByLaterDigits(ulong second, long expected)
    {
        var bits = BitReader.For(new ScriptedRandomSource(0x1234_1234, second, 0xFFFFFFFF, 0x8000_0001, 0, 0, 0));
        DiscreteLaplace.SamplePacked(bits, 1, 16).ShouldBe(expected);
    }

    [Fact]
    public void For_SecureSourceOnly_IsFresh()
    {
        BitReader.For(SecureRandomSource.Instance).IsFresh.ShouldBeTrue();
        BitReader.For(new SeededRandomSource(1)).IsFresh.ShouldBeFalse();
        BitReader.For(new KeyedRandomSource(new byte[32], "label")).IsFresh.ShouldBeFalse();
        BitReader.For(SecureRandomSource.Instance).IsFresh.ShouldBeTrue();
    }

    private static double ZScore(long count, int n, double p) => Math.Abs(count - (n * p)) / Math.Sqrt(n * p * (1 - p));
}

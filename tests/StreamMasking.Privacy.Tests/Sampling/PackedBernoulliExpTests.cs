using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;
using StreamMasking.Privacy.Tests.Statistics;

namespace StreamMasking.Privacy.Tests.Sampling;

/// <summary>
/// The fresh-noise Bernoulli(exp(−γ)) (<see cref="PackedBernoulliExp"/>) and the fresh discrete Gaussian built on it,
/// run on seeded sources so the checks are repeatable. With 2-bit digits a comparison ties one time in four, so the
/// continuations (lazy uniforms, the digits of a/b, an expansion of a/b that ends) serve most trials.
/// </summary>
public class PackedBernoulliExpTests
{
    // Frequency within 5 standard errors of exp(−a/b): false-failure rate below 6e-7 per case.
    [Theory]
    [InlineData(1UL, 3UL, 16, 71UL)]
    [InlineData(1UL, 2UL, 16, 72UL)]   // a/b = 0.1 in binary: its expansion ends
    [InlineData(7UL, 2UL, 16, 73UL)]   // γ > 1: two exp(−1) chains, then exp(−1/2)
    [InlineData(0UL, 5UL, 16, 74UL)]
    [InlineData(1UL, 3UL, 2, 75UL)]
    [InlineData(1UL, 2UL, 2, 76UL)]
    [InlineData(3UL, 4UL, 2, 77UL)]
    [InlineData(5UL, 7UL, 4, 78UL)]
    [InlineData(1UL, 1UL, 2, 79UL)]    // x = 1: no tie with x is possible
    [InlineData(999_999UL, 1_000_000UL, 8, 80UL)]
    [InlineData(1UL << 40, 1UL << 41, 16, 81UL)] // the lattice Gaussian's denominator 2σ² for σ = 2^20
    public void Sample_ManyTrials_FrequencyMatchesExp(ulong numerator, ulong denominator, int digitBits, ulong seed)
    {
        const int trials = 400_000;
        var random = new SeededRandomSource(seed);
        var bits = BitReader.For(random);
        var whole = numerator / denominator;
        var fraction = numerator - (whole * denominator);
        var successes = 0L;
        for (var i = 0; i < trials; i++)
        {
            var accepted = digitBits == 16
                ? PackedBernoulliExp.Sample(bits, numerator, denominator)
                : WholeThenFraction(bits, whole, fraction, denominator, digitBits);
            successes += accepted ? 1 : 0;
        }

        var p = Math.Exp(-(double)numerator / denominator);
        var sd = Math.Sqrt(trials * p * (1 - p));
        Math.Abs(successes - (trials * p)).ShouldBeLessThanOrEqualTo(Math.Max(5 * sd, 1e-9), $"exp(−{numerator}/{denominator})");
    }

    // The fresh discrete Gaussian (packed Laplace proposals, packed acceptance) against its exact pmf: chi-square
    // p > 1e-4 and moments within 5 standard errors, false-failure rate below 2e-4 per case.
    [Theory]
    [InlineData(3UL, 91UL, 500_000)]
    [InlineData(1UL, 92UL, 500_000)]
    [InlineData(40UL, 93UL, 500_000)]
    public void SampleIntegerSigma_FreshAlgorithms_MatchesExactPmf(ulong sigma, ulong seed, int draws)
    {
        var bits = BitReader.For(new SeededRandomSource(seed));
        bits.UseFreshAlgorithms();
        var samples = new long[draws];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = DiscreteGaussian.SampleIntegerSigma(bits, sigma);
        }

        var sigmaSquared = (double)sigma * sigma;
        var support = (long)Math.Ceiling(30 * (double)sigma) + 10;
        GoodnessOfFit.ChiSquarePValue(samples, Pmf(sigmaSquared), support).ShouldBeGreaterThan(1e-4);
        GoodnessOfFit.AssertMoments(samples, Pmf(sigmaSquared), support, 5);
    }

    // x = 1/3 has leading digit 0x5555; U1's leading digit ties with it, and the next digits decide. Below x
    // (0x5555_0000… < 0x5555_5555…) the chain goes on and U2 = 0xFFFF_FFFF… ends it at length 1: false. Above x it
    // ends at length 0: true. Deciding on the tied digit alone would answer true both times.
    [Theory]
    [InlineData(0xFFFFFFFF_00000000UL, false)]
    [InlineData(0x00000000_FFFFFFFFUL, true)]
    public void SampleAtMostOne_FirstDigitTiesWithX_DecidedByLaterDigits(ulong second, bool expected)
    {
        var bits = BitReader.For(new ScriptedRandomSource(0x5555, second));
        PackedBernoulliExp.SampleAtMostOne(bits, 1, 3, 16).ShouldBe(expected);
    }

    private static bool WholeThenFraction(BitReader bits, ulong whole, ulong fraction, ulong denominator, int digitBits)
    {
        for (var i = 0UL; i < whole; i++)
        {
            if (!PackedBernoulliExp.SampleAtMostOne(bits, 1, 1, digitBits))
            {
                return false;
            }
        }

        return PackedBernoulliExp.SampleAtMostOne(bits, fraction, denominator, digitBits);
    }

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
}

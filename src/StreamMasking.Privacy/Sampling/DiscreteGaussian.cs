using System.Numerics;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// Exact discrete Gaussian sampler: P(X = x) ∝ exp(−x² / (2σ²)) on the integers, for rational
/// σ² = sigmaSquaredNumerator / sigmaSquaredDenominator (Canonne, Kamath, Steinke 2020, Algorithm 3: discrete
/// Laplace proposals accepted with an exact Bernoulli(exp(−γ)) trial). Integer arithmetic only.
/// </summary>
/// <remarks>
/// Timing channel: the number of proposals is geometric (acceptance probability above 1/2 for σ ≥ 1), so the
/// running time depends on the sample. Values of σ up to about 2^24 use a 128-bit fast path; larger use BigInteger.
/// </remarks>
public static class DiscreteGaussian
{
    /// <summary>Draws one sample with σ² = <paramref name="sigmaSquaredNumerator"/> / <paramref name="sigmaSquaredDenominator"/>.</summary>
    public static long Sample(IRandomSource random, BigInteger sigmaSquaredNumerator, BigInteger sigmaSquaredDenominator)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigmaSquaredNumerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigmaSquaredDenominator);
        var t = ExactInteger.FloorSqrt(sigmaSquaredNumerator / sigmaSquaredDenominator) + 1;

        // Fast path when every intermediate stays far below 2^128: γ's denominator 2·n·t²·d < 2^92 leaves 36 bits for
        // the Bernoulli(exp) loop counter, and |Y|·t·d < 2^62 holds unless |Y| > 2^16·t (probability < e^−65536).
        if (sigmaSquaredNumerator.GetBitLength() <= 44 && sigmaSquaredDenominator.GetBitLength() <= 1
            && t.GetBitLength() <= 23)
        {
            return SampleFast(random, (ulong)sigmaSquaredNumerator, (ulong)t);
        }

        return SampleExact(random, sigmaSquaredNumerator, sigmaSquaredDenominator, t);
    }

    /// <summary>Draws one sample with integer variance σ² = <paramref name="sigmaSquared"/>.</summary>
    public static long Sample(IRandomSource random, ulong sigmaSquared) =>
        Sample(random, new BigInteger(sigmaSquared), BigInteger.One);

    // σ² = n (integer), t = ⌊σ⌋ + 1; γ = (|Y|·t − n)² / (2·n·t²).
    private static long SampleFast(IRandomSource random, ulong n, ulong t)
    {
        var denominator = 2 * (UInt128)n * t * t;
        while (true)
        {
            var y = DiscreteLaplace.Sample<UInt128>(random, t, 1);
            var difference = (Int128)Math.Abs(y) * t - n;
            var magnitude = (UInt128)Int128.Abs(difference);
            var numerator = checked(magnitude * magnitude);
            if (BernoulliExp.Sample(random, numerator, denominator))
            {
                return y;
            }
        }
    }

    // σ² = n/d, t = ⌊σ⌋ + 1; γ = (|Y|·t·d − n)² / (2·n·t²·d).
    private static long SampleExact(IRandomSource random, BigInteger n, BigInteger d, BigInteger t)
    {
        var denominator = 2 * n * t * t * d;
        while (true)
        {
            var y = DiscreteLaplace.Sample(random, t, BigInteger.One);
            var difference = (BigInteger.Abs(y) * t * d) - n;
            if (BernoulliExp.Sample(random, difference * difference, denominator))
            {
                return y;
            }
        }
    }
}

using System.Numerics;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// Exact discrete Gaussian sampler: P(X = x) ∝ exp(−x² / (2σ²)) on the integers, for rational
/// σ² = sigmaSquaredNumerator / sigmaSquaredDenominator (Canonne, Kamath, Steinke 2020, Algorithm 3: discrete
/// Laplace proposals of scale t accepted with an exact Bernoulli(exp(−(|Y| − σ²/t)²/(2σ²))) trial; any t &gt; 0 is
/// correct, t ≈ σ is efficient). Integer arithmetic only.
/// </summary>
/// <remarks>
/// Timing channel: the number of proposals is geometric (acceptance probability above 1/2 for σ ≥ 1), so the
/// running time depends on the sample. An integer σ ≤ 2^24 (the lattice case of <see cref="GranularNoise"/>) runs in
/// 64-bit arithmetic with t = σ (for fresh noise from <see cref="SecureRandomSource"/> with packed proposals and
/// acceptance trials, <see cref="PackedExponential"/> and <see cref="PackedBernoulliExp"/>); other values use 128-bit
/// or BigInteger arithmetic with t = ⌊σ⌋ + 1.
/// </remarks>
public static class DiscreteGaussian
{
    private const ulong MaxFastSigma = 1UL << 24;

    /// <summary>Draws one sample with σ² = <paramref name="sigmaSquaredNumerator"/> / <paramref name="sigmaSquaredDenominator"/>.</summary>
    public static long Sample(IRandomSource random, BigInteger sigmaSquaredNumerator, BigInteger sigmaSquaredDenominator)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigmaSquaredNumerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigmaSquaredDenominator);
        if (sigmaSquaredDenominator.IsOne)
        {
            var root = ExactInteger.FloorSqrt(sigmaSquaredNumerator);
            if (root * root == sigmaSquaredNumerator && root <= MaxFastSigma)
            {
                return SampleIntegerSigma(random, (ulong)root);
            }
        }

        var t = ExactInteger.FloorSqrt(sigmaSquaredNumerator / sigmaSquaredDenominator) + 1;
        return SampleExact(random, sigmaSquaredNumerator, sigmaSquaredDenominator, t);
    }

    /// <summary>Draws one sample with integer variance σ² = <paramref name="sigmaSquared"/>.</summary>
    public static long Sample(IRandomSource random, ulong sigmaSquared) =>
        Sample(random, new BigInteger(sigmaSquared), BigInteger.One);

    /// <summary>Draws one sample with integer standard deviation <paramref name="sigma"/> (σ² = sigma²).</summary>
    public static long SampleWithIntegerSigma(IRandomSource random, ulong sigma)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfZero(sigma);
        return sigma <= MaxFastSigma
            ? SampleIntegerSigma(random, sigma)
            : SampleExact(random, new BigInteger(sigma) * sigma, BigInteger.One, new BigInteger(sigma));
    }

    // σ = t = m: γ = (|Y| − m)² / (2m²), so numerator and denominator stay below 2^64 unless ||Y| − m| ≥ 2^32.
    private static long SampleIntegerSigma(IRandomSource random, ulong m) => SampleIntegerSigma(BitReader.For(random), m);

    // Fresh and replayed noise in loops of their own, as in DiscreteLaplace.SampleIntegerScale: the same algorithm,
    // the fresh one with the packed Laplace proposals and acceptance trials.
    internal static long SampleIntegerSigma(BitReader bits, ulong m) =>
        bits.IsFresh ? SampleIntegerSigmaFresh(bits, m) : SampleIntegerSigmaReplayed(bits, m);

    private static long SampleIntegerSigmaReplayed(BitReader bits, ulong m)
    {
        var denominator = 2 * m * m;
        while (true)
        {
            var y = DiscreteLaplace.SampleIntegerScale(bits, m);
            var magnitude = (ulong)Math.Abs(y);
            var distance = magnitude >= m ? magnitude - m : m - magnitude;
            var accepted = distance < (1UL << 32)
                ? BernoulliExp.Sample(bits, distance * distance, denominator)
                : BernoulliExp.Sample<UInt128>(bits.Source, (UInt128)distance * distance, denominator);
            if (accepted)
            {
                return y;
            }
        }
    }

    private static long SampleIntegerSigmaFresh(BitReader bits, ulong m)
    {
        var denominator = 2 * m * m;
        var packed = denominator < PackedBernoulliExp.MaxDenominator;
        while (true)
        {
            var y = DiscreteLaplace.SamplePacked(bits, m, PackedExponential.DigitBits);
            var magnitude = (ulong)Math.Abs(y);
            var distance = magnitude >= m ? magnitude - m : m - magnitude;
            var accepted = distance >= (1UL << 32)
                ? BernoulliExp.Sample<UInt128>(bits.Source, (UInt128)distance * distance, denominator)
                : packed
                    ? PackedBernoulliExp.Sample(bits, distance * distance, denominator)
                    : BernoulliExp.Sample(bits, distance * distance, denominator);
            if (accepted)
            {
                return y;
            }
        }
    }

    // σ² = n/d, proposal scale t; γ = (|Y|·t·d − n)² / (2·n·t²·d).
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

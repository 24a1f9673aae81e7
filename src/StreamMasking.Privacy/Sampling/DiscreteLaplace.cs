using System.Numerics;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// Exact discrete Laplace sampler: P(X = x) ∝ exp(−|x| / t) on the integers, for rational scale
/// t = scaleNumerator / scaleDenominator (Canonne, Kamath, Steinke 2020, Algorithm 2). Integer arithmetic only.
/// </summary>
/// <remarks>
/// Adding it to an integer query of sensitivity Δ gives (Δ/t)-DP. Integer scales (the lattice case of
/// <see cref="GranularNoise"/>) take |X| = ⌊t·E⌋ with E ~ Exp(1) drawn exactly by von Neumann's method
/// (<see cref="ExactExponential"/>; for fresh noise from <see cref="SecureRandomSource"/>, the same method on packed
/// digits, <see cref="PackedExponential"/>); other rational scales use CKS Algorithm 2. Timing channel: both are rejection
/// loops whose running time depends on the sample (expected rounds below 2 for von Neumann's trials, below 4 for
/// CKS); loops end with probability one but are not bounded. The result must fit a <see cref="long"/>: scales up to
/// 2^56 keep the overflow probability below 2^−100; beyond that an <see cref="OverflowException"/> is possible rather
/// than a wrong value.
/// </remarks>
public static class DiscreteLaplace
{
    /// <summary>Draws one sample with scale t = <paramref name="scaleNumerator"/> / <paramref name="scaleDenominator"/>.</summary>
    public static long Sample(IRandomSource random, BigInteger scaleNumerator, BigInteger scaleDenominator)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scaleNumerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scaleDenominator);
        return ExactInteger.FitsUInt128(scaleNumerator, scaleDenominator, 64)
            ? Sample(random, (UInt128)scaleNumerator, (UInt128)scaleDenominator)
            : Sample<BigInteger>(random, scaleNumerator, scaleDenominator);
    }

    /// <summary>Draws one sample with scale t = <paramref name="scaleNumerator"/> / <paramref name="scaleDenominator"/>.</summary>
    public static long Sample(IRandomSource random, ulong scaleNumerator, ulong scaleDenominator)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfZero(scaleNumerator);
        ArgumentOutOfRangeException.ThrowIfZero(scaleDenominator);
        return scaleNumerator <= MaxFastScale
            ? SampleFast(random, scaleNumerator, scaleDenominator)
            : Sample<UInt128>(random, scaleNumerator, scaleDenominator);
    }

    // Largest numerator for the 64-bit path: U + t·V stays below 2^64 unless V ≥ 2^6, probability e^−64.
    private const ulong MaxFastScale = 1UL << 57;

    /// <summary>Integer scale t: magnitude ⌊t·E⌋ with E ~ Exp(1) (geometric with ratio e^{−1/t}) and a random sign.</summary>
    /// <remarks>
    /// Fresh noise and replayed noise part here, each into a method of its own: a branch on the source inside a shared
    /// loop would let the profile of one (which tiered compilation optimises for) leave the other's path cold.
    /// </remarks>
    internal static long SampleIntegerScale(IRandomSource random, ulong t)
    {
        var bits = BitReader.For(random);
        return bits.IsFresh ? SamplePacked(bits, t, PackedExponential.DigitBits) : SampleIntegerScale(bits, t);
    }

    /// <summary>Integer scale t for keyed and seeded sources: the algorithm whose draws are pinned.</summary>
    internal static long SampleIntegerScale(BitReader bits, ulong t)
    {
        while (true)
        {
            var magnitude = ExactExponential.FloorTimes(bits, t);
            var negative = bits.NextBit();
            if (negative && magnitude == 0)
            {
                // Without this rejection zero would be counted twice (as +0 and −0).
                continue;
            }

            var value = checked((long)magnitude);
            return negative ? -value : value;
        }
    }

    /// <summary>Integer scale t on fresh noise: the same distribution from <see cref="PackedExponential"/>, whose bit is the sign.</summary>
    internal static long SamplePacked(BitReader bits, ulong t, int digitBits)
    {
        while (true)
        {
            var magnitude = PackedExponential.FloorTimes(bits, t, digitBits, out var negative);
            if (negative && magnitude == 0)
            {
                continue;
            }

            var value = checked((long)magnitude);
            return negative ? -value : value;
        }
    }

    /// <summary>The same algorithm as <see cref="Sample{T}"/> in 64-bit arithmetic.</summary>
    internal static long SampleFast(IRandomSource random, ulong t, ulong s)
    {
        if (s == 1)
        {
            return SampleIntegerScale(random, t);
        }

        while (true)
        {
            var u = random.NextBelow(t);
            if (!BernoulliExp.SampleAtMostOne(random, u, t))
            {
                continue;
            }

            var v = 0UL;
            while (BernoulliExp.SampleExpMinusOne(random))
            {
                v++;
            }

            var x = (UInt128)t * v + u;
            var y = s == 1 ? x : x / s;
            var negative = random.NextBit();
            if (negative && y == 0)
            {
                continue;
            }

            var magnitude = checked((long)y);
            return negative ? -magnitude : magnitude;
        }
    }

    internal static long Sample<T>(IRandomSource random, T t, T s)
        where T : IBinaryInteger<T>
    {
        // Writing |X| = U + t·V with U uniform in [0, t) accepted with probability exp(−U/t) and V geometric with
        // ratio exp(−1) gives X geometric with ratio exp(−1/t); dividing by s rescales to ratio exp(−s/t).
        while (true)
        {
            var u = ExactInteger.NextBelow(random, t);
            if (!BernoulliExp.SampleAtMostOne(random, u, t))
            {
                continue;
            }

            var v = T.Zero;
            while (BernoulliExp.SampleExpMinusOne(random))
            {
                v++;
            }

            var y = checked(u + (t * v)) / s;
            var negative = random.NextBit();
            if (negative && T.IsZero(y))
            {
                // Without this rejection zero would be counted twice (as +0 and −0).
                continue;
            }

            var magnitude = long.CreateChecked(y);
            return negative ? -magnitude : magnitude;
        }
    }
}

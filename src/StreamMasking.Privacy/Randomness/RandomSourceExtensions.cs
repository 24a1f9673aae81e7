using System.Numerics;

namespace StreamMasking.Privacy.Randomness;

/// <summary>
/// Exact uniform integers and rational Bernoulli trials from raw random bits. No floating point, no modulo bias:
/// every value in range is drawn with exactly equal probability (rejection sampling), which the exact samplers rely on.
/// </summary>
public static class RandomSourceExtensions
{
    /// <summary>One fair random bit.</summary>
    public static bool NextBit(this IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return (random.NextUInt64() & 1) == 1;
    }

    /// <summary>Uniform integer in [0, <paramref name="exclusiveBound"/>) (Lemire's multiply-and-reject method).</summary>
    public static ulong NextBelow(this IRandomSource random, ulong exclusiveBound)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfZero(exclusiveBound);
        var high = Math.BigMul(random.NextUInt64(), exclusiveBound, out var low);
        if (low < exclusiveBound)
        {
            // Reject the 2^64 mod n lowest products so that every result has exactly floor(2^64 / n) preimages.
            var threshold = (0UL - exclusiveBound) % exclusiveBound;
            while (low < threshold)
            {
                high = Math.BigMul(random.NextUInt64(), exclusiveBound, out low);
            }
        }

        return high;
    }

    /// <summary>Uniform integer in [0, <paramref name="exclusiveBound"/>).</summary>
    public static UInt128 NextBelow(this IRandomSource random, UInt128 exclusiveBound)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (exclusiveBound <= ulong.MaxValue)
        {
            return random.NextBelow((ulong)exclusiveBound);
        }

        // Rejection on the smallest covering power of two: accepts with probability > 1/2.
        var bits = 128 - (int)UInt128.LeadingZeroCount(exclusiveBound - 1);
        var highMask = bits >= 128 ? ulong.MaxValue : (1UL << (bits - 64)) - 1;
        while (true)
        {
            var candidate = new UInt128(random.NextUInt64() & highMask, random.NextUInt64());
            if (candidate < exclusiveBound)
            {
                return candidate;
            }
        }
    }

    /// <summary>Uniform integer in [0, <paramref name="exclusiveBound"/>) for a positive bound of any size.</summary>
    public static BigInteger NextBelow(this IRandomSource random, BigInteger exclusiveBound)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveBound);
        if (exclusiveBound <= ulong.MaxValue)
        {
            return random.NextBelow((ulong)exclusiveBound);
        }

        var bits = (int)(exclusiveBound - 1).GetBitLength();
        var bytes = new byte[(bits + 7) / 8];
        var topMask = (byte)((1 << (((bits - 1) % 8) + 1)) - 1);
        while (true)
        {
            random.NextBytes(bytes);
            bytes[^1] &= topMask;
            var candidate = new BigInteger(bytes, isUnsigned: true);
            if (candidate < exclusiveBound)
            {
                return candidate;
            }
        }
    }

    /// <summary>Exact Bernoulli trial: true with probability <paramref name="numerator"/> / <paramref name="denominator"/>.</summary>
    public static bool NextBernoulli(this IRandomSource random, ulong numerator, ulong denominator)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(numerator, denominator);
        return random.NextBelow(denominator) < numerator;
    }

    /// <summary>Exact Bernoulli trial: true with probability <paramref name="numerator"/> / <paramref name="denominator"/>.</summary>
    public static bool NextBernoulli(this IRandomSource random, UInt128 numerator, UInt128 denominator)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(numerator, denominator);
        return random.NextBelow(denominator) < numerator;
    }

    /// <summary>Exact Bernoulli trial: true with probability <paramref name="numerator"/> / <paramref name="denominator"/>.</summary>
    public static bool NextBernoulli(this IRandomSource random, BigInteger numerator, BigInteger denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(numerator, denominator);
        return random.NextBelow(denominator) < numerator;
    }
}

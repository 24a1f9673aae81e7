using System.Numerics;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// Uniform draws for the integer types the exact samplers are instantiated with: <see cref="UInt128"/> (fast path,
/// no allocation) and <see cref="BigInteger"/> (any size). The JIT removes the type tests for each instantiation.
/// </summary>
internal static class ExactInteger
{
    public static T NextBelow<T>(IRandomSource random, T exclusiveBound)
        where T : IBinaryInteger<T>
    {
        if (typeof(T) == typeof(UInt128))
        {
            return T.CreateTruncating(random.NextBelow(UInt128.CreateTruncating(exclusiveBound)));
        }

        return T.CreateTruncating(random.NextBelow(BigInteger.CreateTruncating(exclusiveBound)));
    }

    /// <summary>True with probability numerator / denominator (requires numerator ≤ denominator).</summary>
    public static bool NextBernoulli<T>(IRandomSource random, T numerator, T denominator)
        where T : IBinaryInteger<T> =>
        NextBelow(random, denominator) < numerator;

    /// <summary>Whether both values fit the <see cref="UInt128"/> fast path with <paramref name="headroomBits"/> to spare.</summary>
    public static bool FitsUInt128(BigInteger a, BigInteger b, int headroomBits) =>
        a.Sign >= 0 && b.Sign >= 0 && a.GetBitLength() <= 128 - headroomBits && b.GetBitLength() <= 128 - headroomBits;

    /// <summary>floor(sqrt(value)) for a non-negative integer (Newton iteration, exact).</summary>
    public static BigInteger FloorSqrt(BigInteger value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (value < 2)
        {
            return value;
        }

        var x = BigInteger.One << (int)((value.GetBitLength() + 1) / 2);
        while (true)
        {
            var y = (x + (value / x)) >> 1;
            if (y >= x)
            {
                return x;
            }

            x = y;
        }
    }
}

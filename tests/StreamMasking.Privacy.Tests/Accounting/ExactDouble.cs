using System.Numerics;

namespace StreamMasking.Privacy.Tests.Accounting;

/// <summary>Exact rational arithmetic on doubles (every finite double is m·2^e) for checking directed rounding.</summary>
internal static class ExactDouble
{
    private const int Shift = 1100;

    /// <summary>The value scaled by 2^1100 as an exact integer (finite, non-negative input).</summary>
    public static BigInteger Scaled(double value)
    {
        if (value == 0)
        {
            return BigInteger.Zero;
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        // value = mantissa · 2^(exponent − 1075)
        return new BigInteger(mantissa) << (exponent - 1075 + Shift);
    }
}

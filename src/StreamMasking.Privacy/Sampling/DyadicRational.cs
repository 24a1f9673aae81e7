using System.Numerics;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// Exact rational value of a double: every finite double is m·2^e, so it converts to numerator / denominator with
/// no rounding. Lets mechanisms feed ε and utilities to the exact samplers without approximating them.
/// </summary>
internal readonly record struct DyadicRational(BigInteger Numerator, BigInteger Denominator)
{
    public static DyadicRational FromDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Only finite values have an exact rational form.");
        }

        if (value == 0)
        {
            return new(BigInteger.Zero, BigInteger.One);
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

        exponent -= 1075;
        var numerator = new BigInteger(value < 0 ? -mantissa : mantissa);
        return exponent >= 0
            ? new(numerator << exponent, BigInteger.One)
            : new(numerator, BigInteger.One << -exponent);
    }

    public static DyadicRational operator -(DyadicRational left, DyadicRational right) =>
        new((left.Numerator * right.Denominator) - (right.Numerator * left.Denominator), left.Denominator * right.Denominator);

    public static DyadicRational operator *(DyadicRational left, DyadicRational right) =>
        new(left.Numerator * right.Numerator, left.Denominator * right.Denominator);

    public static DyadicRational operator /(DyadicRational left, DyadicRational right)
    {
        if (right.Numerator.IsZero)
        {
            throw new DivideByZeroException();
        }

        var sign = right.Numerator.Sign;
        return new(left.Numerator * right.Denominator * sign, left.Denominator * BigInteger.Abs(right.Numerator));
    }
}

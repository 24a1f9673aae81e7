using System.Numerics;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// A uniform real in [0, 1) whose base-2^32 expansion is drawn lazily (a "u-rand", Karney 2016). Comparisons and
/// floors draw further digits only when the digits drawn so far do not decide them, so algorithms built on it are
/// exact. Used by <see cref="ExactExponential"/> once a comparison ties on the first digit.
/// </summary>
internal sealed class LazyUniform
{
    private ulong[] _digits = new ulong[4];
    private int _count;

    public LazyUniform(ulong firstDigit)
    {
        _digits[0] = firstDigit;
        _count = 1;
    }

    public LazyUniform(ulong firstDigit, ulong secondDigit)
        : this(firstDigit)
    {
        _digits[1] = secondDigit;
        _count = 2;
    }

    public ulong Digit(int index, BitReader bits)
    {
        while (_count <= index)
        {
            if (_count == _digits.Length)
            {
                Array.Resize(ref _digits, _digits.Length * 2);
            }

            _digits[_count++] = bits.NextDigit();
        }

        return _digits[index];
    }

    /// <summary>Whether <paramref name="left"/> &lt; <paramref name="right"/> (equal prefixes draw more digits; ties have probability zero).</summary>
    public static bool Less(LazyUniform left, LazyUniform right, BitReader bits)
    {
        for (var i = 0; ; i++)
        {
            var a = left.Digit(i, bits);
            var b = right.Digit(i, bits);
            if (a != b)
            {
                return a < b;
            }
        }
    }

    /// <summary>⌊t·u⌋ for this uniform u and an integer t ≥ 1.</summary>
    public ulong FloorTimes(ulong t, BitReader bits)
    {
        var prefix = (Digit(0, bits) << 32) | Digit(1, bits);
        var high = Math.BigMul(t, prefix, out var low);

        // t·u = high + (low + t·rest)/2^64 with rest ∈ [0, 1): the floor is decided unless low + t would carry.
        if (low <= ulong.MaxValue - t + 1)
        {
            return high;
        }

        // Rare (probability about t/2^64): widen with more digits until the carry is decided.
        var wide = new BigInteger(prefix);
        for (var digits = 3; ; digits++)
        {
            wide = (wide << 32) + Digit(digits - 1, bits);
            var scaled = wide * t;
            var shift = 32 * digits;
            var floorLow = scaled >> shift;
            var floorHigh = (scaled + t - 1) >> shift;
            if (floorLow == floorHigh)
            {
                return (ulong)floorLow;
            }
        }
    }
}

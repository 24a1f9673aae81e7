using System.Numerics;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// Exact Bernoulli(exp(−a/b)) for fresh noise, by the same chain as <see cref="BernoulliExp"/>: with x = a/b ≤ 1, count
/// how far x &gt; U1 &gt; U2 &gt; … descends; the count N is even with probability exp(−x). The comparisons are made on
/// 16-bit leading digits, four uniforms packed in one word, and read off the word without a branch per comparison
/// (the idea of <see cref="PackedExponential"/>); a chain longer than the word (probability below 1/24) or a tie on
/// the comparison that ends it (2^−16) continues exactly on further digits and lazy uniforms, the first one compared
/// with the digits of a/b. Draws other words than <see cref="BernoulliExp"/>, so fresh noise only.
/// </summary>
internal static class PackedBernoulliExp
{
    /// <summary>Denominators below this keep every digit of a/b in 64-bit arithmetic.</summary>
    internal const ulong MaxDenominator = 1UL << 48;

    private const int DigitBits = 16;
    private const ulong DigitMask = (1UL << DigitBits) - 1;

    /// <summary>True with probability exp(−<paramref name="numerator"/> / <paramref name="denominator"/>), denominator below 2^48.</summary>
    public static bool Sample(BitReader bits, ulong numerator, ulong denominator)
    {
        var whole = numerator < denominator ? 0 : numerator / denominator;
        for (var i = 0UL; i < whole; i++)
        {
            // exp(−1) is the chain from x = 1 = 1/1.
            if (!SampleAtMostOne(bits, 1, 1, DigitBits))
            {
                return false;
            }
        }

        return SampleAtMostOne(bits, numerator - (whole * denominator), denominator, DigitBits);
    }

    /// <summary>
    /// Bernoulli(exp(−a/b)) for a ≤ b on digits of <paramref name="digitBits"/> bits (a divisor of 64 up to 16; only 16
    /// takes the packed decision, narrower digits make the continuations common for tests).
    /// </summary>
    internal static bool SampleAtMostOne(BitReader bits, ulong numerator, ulong denominator, int digitBits)
    {
        if (numerator == 0)
        {
            return true;
        }

        var word = bits.NextWord();
        if (digitBits == DigitBits)
        {
            // x's leading digit ⌊x·2^16⌋ (2^16 when x = 1, which every digit is below, so no tie).
            var x0 = (numerator << DigitBits) / denominator;
            var d1 = word & DigitMask;
            var d2 = (word >> 16) & DigitMask;
            var d3 = (word >> 32) & DigitMask;
            var d4 = word >> 48;
            var descents = ((d1 - x0) >> 63) | (((d2 - d1) >> 63) << 1) | (((d3 - d2) >> 63) << 2) | (((d4 - d3) >> 63) << 3);
            var ties = (((d1 ^ x0) - 1) >> 63) | ((((d2 ^ d1) - 1) >> 63) << 1) | ((((d3 ^ d2) - 1) >> 63) << 2)
                | ((((d4 ^ d3) - 1) >> 63) << 3);
            var length = BitOperations.TrailingZeroCount(~descents);
            if (length < 4 && ((ties >> length) & 1) == 0)
            {
                return (length & 1) == 0;
            }
        }

        return Chain(bits, numerator, denominator, word, digitBits);
    }

    // The chain digit by digit from its first word; ties go on to lazy uniforms. True when its length is even.
    private static bool Chain(BitReader bits, ulong numerator, ulong denominator, ulong word, int digitBits)
    {
        var mask = (1UL << digitBits) - 1;
        var digitsPerWord = 64 / digitBits;
        var left = digitsPerWord;
        var previous = (numerator << digitBits) / denominator;
        var length = 0;
        while (true)
        {
            if (left == 0)
            {
                word = bits.NextWord();
                left = digitsPerWord;
            }

            var current = word & mask;
            word >>= digitBits;
            left--;
            if (current < previous)
            {
                previous = current;
                length++;
                continue;
            }

            if (current > previous)
            {
                return (length & 1) == 0;
            }

            // A tie: with x itself (length 0, and x < 1 since every digit is below x = 1) or with the last uniform.
            var currentUniform = new LazyUniform(Widen(current, digitBits, bits));
            LazyUniform previousUniform;
            if (length == 0)
            {
                if (!LessThan(currentUniform, numerator, denominator, bits))
                {
                    return true;
                }

                previousUniform = currentUniform;
                length = 1;
                currentUniform = new LazyUniform(bits.NextDigit());
            }
            else
            {
                previousUniform = new LazyUniform(Widen(previous, digitBits, bits));
            }

            while (LazyUniform.Less(currentUniform, previousUniform, bits))
            {
                previousUniform = currentUniform;
                length++;
                currentUniform = new LazyUniform(bits.NextDigit());
            }

            return (length & 1) == 0;
        }
    }

    // u < a/b for a < b, comparing u's 32-bit digits with those of a/b; a finished expansion of a/b leaves u ≥ a/b.
    private static bool LessThan(LazyUniform uniform, ulong numerator, ulong denominator, BitReader bits)
    {
        var remainder = (UInt128)numerator;
        for (var i = 0; remainder != 0; i++)
        {
            var shifted = remainder << 32;
            var digit = (ulong)(shifted / denominator);
            remainder = shifted - ((UInt128)digit * denominator);
            var u = uniform.Digit(i, bits);
            if (u != digit)
            {
                return u < digit;
            }
        }

        return false;
    }

    private static ulong Widen(ulong digit, int digitBits, BitReader bits) =>
        (digit << (32 - digitBits)) | (bits.NextDigit() >> digitBits);
}

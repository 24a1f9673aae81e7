using System.Numerics;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// ⌊t·E⌋ for E ~ Exp(1) by von Neumann's method, as in <see cref="ExactExponential"/>, with a trial's uniforms
/// compared on 16-bit leading digits packed four to a 64-bit word. One word decides a trial unless its run descends
/// through all four digits (probability 1/24) or the comparison that ends the run ties (2^−16); the run length is then
/// read off the word with no branch per comparison, which is where the digit-by-digit loop loses its time
/// (mispredicted branches on random comparisons). Undecided trials continue exactly, on further digits and then on
/// lazy uniforms. For the same output this draws other words than <see cref="ExactExponential"/>, so it serves fresh
/// noise only: keyed and seeded (replayed) noise keeps the original algorithm and its pinned draws.
/// </summary>
/// <remarks>
/// About 1.6 words for the trials and one for the accepted uniform's tail, whose low bits also give the sign bit.
/// Timing channel as for <see cref="ExactExponential"/>: the number of trials depends on the sample.
/// </remarks>
internal static class PackedExponential
{
    internal const int DigitBits = 16;

    private const ulong DigitMask = (1UL << DigitBits) - 1;

    /// <summary>⌊t·E⌋ and an independent fair <paramref name="bit"/> (for a sign).</summary>
    public static ulong FloorTimes(BitReader bits, ulong t, out bool bit) => FloorTimes(bits, t, DigitBits, out bit);

    /// <summary>
    /// The same on digits of <paramref name="digitBits"/> bits (a divisor of 64 up to 16). Only 16 takes the packed
    /// decision; narrower digits make ties and long runs common, so tests reach the continuations this way.
    /// </summary>
    internal static ulong FloorTimes(BitReader bits, ulong t, int digitBits, out bool bit)
    {
        var k = 0UL;
        while (true)
        {
            var word = bits.NextWord();
            if (digitBits == DigitBits)
            {
                var run = DecidedRunLength(word);
                if (run != 0)
                {
                    // An odd run length accepts U0 (probability e^−U0); an even one adds 1 to ⌊E⌋ and retries.
                    if ((run & 1) == 1)
                    {
                        return checked((t * k) + FloorTimesUniform(bits, t, word & DigitMask, DigitBits, out bit));
                    }

                    k++;
                    continue;
                }
            }

            if (Trial(bits, t, word, digitBits, out var fraction, out bit))
            {
                return checked((t * k) + fraction);
            }

            k++;
        }
    }

    // The trial's run length if the word's four digits U0 > U1 > … decide it, else 0: the run must stop inside the
    // word, at a strict ascent. Bit i of each mask compares digit i + 1 with digit i (digits are below 2^16, so the
    // sign of a 64-bit difference is the comparison).
    private static int DecidedRunLength(ulong word)
    {
        var d0 = word & DigitMask;
        var d1 = (word >> 16) & DigitMask;
        var d2 = (word >> 32) & DigitMask;
        var d3 = word >> 48;
        var descents = ((d1 - d0) >> 63) | (((d2 - d1) >> 63) << 1) | (((d3 - d2) >> 63) << 2);
        var ties = (((d1 ^ d0) - 1) >> 63) | ((((d2 ^ d1) - 1) >> 63) << 1) | ((((d3 ^ d2) - 1) >> 63) << 2);
        var leading = BitOperations.TrailingZeroCount(~descents);
        return leading < 3 && ((ties >> leading) & 1) == 0 ? leading + 1 : 0;
    }

    // One trial from its first word, digit by digit, drawing more words while the run descends and lazy uniforms
    // once a comparison ties. True (with ⌊t·U0⌋) when the run length is odd.
    private static bool Trial(BitReader bits, ulong t, ulong word, int digitBits, out ulong fraction, out bool bit)
    {
        var mask = (1UL << digitBits) - 1;
        var digitsPerWord = 64 / digitBits;
        var first = word & mask;
        word >>= digitBits;
        var left = digitsPerWord - 1;
        var previous = first;
        var run = 1;
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
                run++;
                continue;
            }

            if (current == previous)
            {
                return LazyTrial(bits, t, digitBits, first, previous, run, current, out fraction, out bit);
            }

            break;
        }

        if ((run & 1) == 0)
        {
            fraction = 0;
            bit = false;
            return false;
        }

        fraction = FloorTimesUniform(bits, t, first, digitBits, out bit);
        return true;
    }

    // The tie continues on lazy uniforms whose first 32-bit digit is the short digit followed by fresh bits: U0, the
    // run's last uniform (U0 itself when the run length is 1) and the tied one.
    private static bool LazyTrial(
        BitReader bits, ulong t, int digitBits, ulong first, ulong previous, int run, ulong current, out ulong fraction, out bool bit)
    {
        var firstUniform = new LazyUniform(Widen(first, digitBits, bits));
        var previousUniform = run == 1 ? firstUniform : new LazyUniform(Widen(previous, digitBits, bits));
        var currentUniform = new LazyUniform(Widen(current, digitBits, bits));
        while (LazyUniform.Less(currentUniform, previousUniform, bits))
        {
            previousUniform = currentUniform;
            run++;
            currentUniform = new LazyUniform(bits.NextDigit());
        }

        if ((run & 1) == 0)
        {
            fraction = 0;
            bit = false;
            return false;
        }

        fraction = firstUniform.FloorTimes(t, bits);
        bit = bits.NextBit();
        return true;
    }

    private static ulong Widen(ulong digit, int digitBits, BitReader bits) =>
        (digit << (32 - digitBits)) | (bits.NextDigit() >> digitBits);

    // ⌊t·U0⌋ with U0 = its first digit, then the top 64 − w bits of a tail word, then lazily drawn digits (needed only
    // when the carry is undecided, probability about t/2^64). The tail's low bits are not part of U0: bit 0 is the
    // independent fair bit.
    private static ulong FloorTimesUniform(BitReader bits, ulong t, ulong first, int digitBits, out bool bit)
    {
        var tail = bits.NextWord();
        bit = (tail & 1) == 1;
        var prefix = (first << (64 - digitBits)) | (tail >> digitBits);
        var high = Math.BigMul(t, prefix, out var low);
        return low <= ulong.MaxValue - t + 1 ? high : new LazyUniform(prefix >> 32, prefix & 0xFFFFFFFF).FloorTimes(t, bits);
    }
}

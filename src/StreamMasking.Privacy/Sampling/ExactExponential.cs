namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// ⌊t·E⌋ for E ~ Exp(1), exactly, by von Neumann's method on lazy uniforms: a trial draws U0 and counts the
/// descending run U0 &gt; U1 &gt; …; an odd run length (probability e^{−U0}) accepts k + U0, an even one adds 1 to k and
/// retries. ⌊t·E⌋ is geometric with ratio e^{−1/t}: the magnitude of a discrete Laplace of scale t. About 4.3
/// uniforms per sample; comparisons look at one 32-bit digit and continue exactly with <see cref="LazyUniform"/> in
/// the rare case (probability 2^−32 per comparison) that the first digits tie.
/// </summary>
internal static class ExactExponential
{
    public static ulong FloorTimes(BitReader bits, ulong t)
    {
        var k = 0UL;
        while (true)
        {
            var first = bits.NextDigit();
            var previous = first;
            var runLength = 1;
            while (true)
            {
                var current = bits.NextDigit();
                if (current < previous)
                {
                    previous = current;
                    runLength++;
                    continue;
                }

                if (current == previous)
                {
                    return ContinueWithLazyDigits(bits, t, k, first, previous, runLength, current);
                }

                break;
            }

            if ((runLength & 1) == 1)
            {
                return checked((t * k) + FloorTimes(bits, t, first));
            }

            k++;
        }
    }

    // ⌊t·U0⌋ from U0's first two digits; only an undecided carry (probability about t/2^64) needs more.
    private static ulong FloorTimes(BitReader bits, ulong t, ulong firstDigit)
    {
        var second = bits.NextDigit();
        var high = Math.BigMul(t, (firstDigit << 32) | second, out var low);
        return low <= ulong.MaxValue - t + 1 ? high : new LazyUniform(firstDigit, second).FloorTimes(t, bits);
    }

    // The same algorithm with every uniform kept as a lazy expansion, resuming exactly where the fast loop stopped:
    // U0's first digit, the current run's last uniform (which is U0 itself when the run length is 1) and the tied one.
    private static ulong ContinueWithLazyDigits(
        BitReader bits, ulong t, ulong k, ulong firstDigit, ulong previousDigit, int runLength, ulong currentDigit)
    {
        var first = new LazyUniform(firstDigit);
        var previous = runLength == 1 ? first : new LazyUniform(previousDigit);
        var current = new LazyUniform(currentDigit);
        while (true)
        {
            while (LazyUniform.Less(current, previous, bits))
            {
                previous = current;
                runLength++;
                current = new LazyUniform(bits.NextDigit());
            }

            if ((runLength & 1) == 1)
            {
                return checked((t * k) + first.FloorTimes(t, bits));
            }

            k++;
            first = new LazyUniform(bits.NextDigit());
            previous = first;
            runLength = 1;
            current = new LazyUniform(bits.NextDigit());
        }
    }
}

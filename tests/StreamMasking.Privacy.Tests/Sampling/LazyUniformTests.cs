using System.Numerics;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.Tests.Sampling;

/// <summary>The rare branches of the lazy uniforms (probability ≈ 2^−32 per use in production), forced by construction.</summary>
public class LazyUniformTests
{
    private static BigInteger Expansion(LazyUniform uniform, int digits, BitReader bits)
    {
        var value = BigInteger.Zero;
        for (var i = 0; i < digits; i++)
        {
            value = (value << 32) + uniform.Digit(i, bits);
        }

        return value;
    }

    [Fact]
    public void FloorTimes_UndecidedCarry_DrawsMoreDigitsAndMatchesExactProduct()
    {
        // t = 2^63 + 1 and prefix 2^64 − 2 make low > 2^64 − t: the first 64 bits cannot decide the floor.
        const ulong t = (1UL << 63) + 1;
        for (ulong seed = 0; seed < 200; seed++)
        {
            var bits = BitReader.For(new SeededRandomSource(seed));
            var uniform = new LazyUniform(0xFFFFFFFF, 0xFFFFFFFE);
            var floor = uniform.FloorTimes(t, bits);

            // Whatever digits were drawn, the floor must hold for every completion of them.
            var digits = 8;
            var prefix = Expansion(uniform, digits, bits);
            var low = prefix * t >> (32 * digits);
            var high = (((prefix + 1) * t) - 1) >> (32 * digits);
            low.ShouldBe(new BigInteger(floor));
            high.ShouldBe(new BigInteger(floor));
        }
    }

    [Fact]
    public void Less_TiedFirstDigits_DecidedByLaterDigits()
    {
        var bits = BitReader.For(new SeededRandomSource(7));
        var trueCount = 0;
        for (var i = 0; i < 2000; i++)
        {
            var left = new LazyUniform(12345);
            var right = new LazyUniform(12345);
            var less = LazyUniform.Less(left, right, bits);
            (Expansion(left, 4, bits) < Expansion(right, 4, bits)).ShouldBe(less);
            trueCount += less ? 1 : 0;
        }

        // Symmetric: about half (5 SE of 2000 fair trials, false-failure rate below 6e-7).
        Math.Abs(trueCount - 1000.0).ShouldBeLessThan(5 * Math.Sqrt(500));
    }
}

using System.Numerics;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// Exact Bernoulli(exp(−γ)) trials for rational γ = numerator / denominator ≥ 0, using only integer arithmetic and
/// random bits (Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for Differential Privacy", Algorithm 1).
/// </summary>
/// <remarks>
/// Timing channel: the number of loop iterations (and so the running time) depends on the random outcome and on γ.
/// The expected number of uniform draws is below 3 + ⌊γ⌋·(e/(e−1)) and the loops end with probability one; callers
/// that publish outputs to parties who can also time the computation should not rely on constant time.
/// </remarks>
public static class BernoulliExp
{
    /// <summary>Returns true with probability exp(−<paramref name="numerator"/> / <paramref name="denominator"/>).</summary>
    public static bool Sample(IRandomSource random, BigInteger numerator, BigInteger denominator)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        return ExactInteger.FitsUInt128(numerator, denominator, 32)
            ? Sample(random, (UInt128)numerator, (UInt128)denominator)
            : Sample<BigInteger>(random, numerator, denominator);
    }

    /// <summary>Returns true with probability exp(−numerator / denominator).</summary>
    internal static bool Sample<T>(IRandomSource random, T numerator, T denominator)
        where T : IBinaryInteger<T>
    {
        var whole = numerator / denominator;
        var fraction = numerator - (whole * denominator);

        // exp(−γ) = exp(−1)^⌊γ⌋ · exp(−frac γ): independent trials, stop at the first failure.
        for (var i = T.Zero; i < whole; i++)
        {
            if (!SampleExpMinusOne(random))
            {
                return false;
            }
        }

        return SampleAtMostOne(random, fraction, denominator);
    }

    /// <summary>Bernoulli(exp(−γ)) for 0 ≤ γ = numerator / denominator ≤ 1.</summary>
    internal static bool SampleAtMostOne<T>(IRandomSource random, T numerator, T denominator)
        where T : IBinaryInteger<T>
    {
        if (T.IsZero(numerator))
        {
            return true;
        }

        // K is the index of the first failed Bernoulli(γ/k); P(K odd) = exp(−γ).
        var k = T.One;
        while (ExactInteger.NextBernoulli(random, numerator, checked(denominator * k)))
        {
            k++;
        }

        return T.IsOddInteger(k);
    }

    /// <summary>Bernoulli(exp(−γ)) for γ = numerator / denominator, all in 64-bit arithmetic (the hot path).</summary>
    internal static bool Sample(IRandomSource random, ulong numerator, ulong denominator)
    {
        var whole = numerator / denominator;
        for (var i = 0UL; i < whole; i++)
        {
            if (!SampleExpMinusOne(random))
            {
                return false;
            }
        }

        return SampleAtMostOne(random, numerator - (whole * denominator), denominator);
    }

    /// <summary>Bernoulli(exp(−γ)) for 0 ≤ γ = numerator / denominator ≤ 1 in 64-bit arithmetic.</summary>
    internal static bool SampleAtMostOne(IRandomSource random, ulong numerator, ulong denominator)
    {
        if (numerator == 0)
        {
            return true;
        }

        var k = 1UL;
        while (true)
        {
            var high = Math.BigMul(denominator, k, out var bound);
            var accepted = high == 0
                ? random.NextBelow(bound) < numerator
                : random.NextBelow(new UInt128(high, bound)) < numerator;
            if (!accepted)
            {
                return (k & 1) == 1;
            }

            k++;
        }
    }

    /// <summary>Bernoulli(exp(−1)): the same construction with γ = 1, so each step is a Bernoulli(1/k).</summary>
    internal static bool SampleExpMinusOne(IRandomSource random)
    {
        // The first step is Bernoulli(1/1), which always succeeds: start at k = 2 without spending randomness.
        var k = 2UL;
        while (random.NextBelow(k) == 0)
        {
            k++;
        }

        return (k & 1) == 1;
    }

    /// <summary>Bernoulli(exp(−γ)) for γ = numerator / denominator, spending bits through <paramref name="bits"/>.</summary>
    internal static bool Sample(BitReader bits, ulong numerator, ulong denominator)
    {
        var whole = numerator / denominator;
        for (var i = 0UL; i < whole; i++)
        {
            if (!SampleExpMinusOne(bits))
            {
                return false;
            }
        }

        return SampleAtMostOne(bits, numerator - (whole * denominator), denominator);
    }

    /// <summary>Bernoulli(exp(−γ)) for 0 ≤ γ ≤ 1, spending bits through <paramref name="bits"/>.</summary>
    internal static bool SampleAtMostOne(BitReader bits, ulong numerator, ulong denominator)
    {
        if (numerator == 0)
        {
            return true;
        }

        var k = 1UL;
        while (true)
        {
            var high = Math.BigMul(denominator, k, out var bound);
            var accepted = high == 0
                ? bits.Bernoulli(numerator, bound)
                : bits.Source.NextBelow(new UInt128(high, bound)) < numerator;
            if (!accepted)
            {
                return (k & 1) == 1;
            }

            k++;
        }
    }

    /// <summary>Bernoulli(exp(−1)), spending bits through <paramref name="bits"/>.</summary>
    internal static bool SampleExpMinusOne(BitReader bits)
    {
        var k = 2UL;
        while (bits.NextBelow(k) == 0)
        {
            k++;
        }

        return (k & 1) == 1;
    }
}

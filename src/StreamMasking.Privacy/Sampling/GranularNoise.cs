using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Sampling;

/// <summary>
/// Real-valued noise without floating-point leaks (the approach of Google's differential-privacy library): the input
/// is rounded to a power-of-two granularity g, integer noise from an exact sampler is added on that lattice, and the
/// result is converted back. Every output is an exact multiple of g, and the conversion back is post-processing of
/// the noisy integer, so the low bits carry no information about the input (Mironov 2012's attack does not apply).
/// </summary>
/// <remarks>
/// Rounding to the lattice is monotone (half-up), so inputs at distance Δ land at most ⌈Δ/g⌉ grid steps apart: the
/// sensitivity a caller must calibrate against is <see cref="ChargedSensitivity"/>(Δ, g), not Δ.
/// <see cref="LaplaceScale"/> does that for the Laplace case. Laplace uses g ≥ scale/2^40 (t = scale/g ≤ 2^40 grid
/// units); Gaussian uses g ≥ σ/2^20 (σ ≤ 2^20 grid units, where the exact sampler has a 128-bit fast path).
/// Scales are rounded <i>up</i> to a whole number of grid steps, so the noise is never smaller than requested.
/// </remarks>
public static class GranularNoise
{
    private const int LaplaceResolutionBits = 40;
    private const int GaussianResolutionBits = 20;
    private const ulong FractionMask = (1UL << 52) - 1;

    /// <summary>Adds Laplace noise of scale b ≥ <paramref name="scale"/> on the lattice <see cref="LaplaceGranularity"/>(scale).</summary>
    public static double AddLaplace(IRandomSource random, double value, double scale)
    {
        ArgumentNullException.ThrowIfNull(random);
        var granularity = LaplaceGranularity(scale);
        var steps = (ulong)Math.Ceiling(DivideByPowerOfTwo(scale, granularity));
        return AddOnLattice(value, granularity, DiscreteLaplace.Sample(random, steps, 1UL));
    }

    /// <summary>Adds discrete-Gaussian noise of standard deviation σ ≥ <paramref name="sigma"/> on <see cref="GaussianGranularity"/>(sigma).</summary>
    public static double AddGaussian(IRandomSource random, double value, double sigma)
    {
        ArgumentNullException.ThrowIfNull(random);
        var granularity = GaussianGranularity(sigma);
        var steps = (ulong)Math.Ceiling(DivideByPowerOfTwo(sigma, granularity));
        return AddGaussianSteps(random, value, granularity, steps);
    }

    /// <summary>Adds discrete-Gaussian noise of exactly <paramref name="sigmaSteps"/> grid steps on <paramref name="granularity"/>.</summary>
    internal static double AddGaussianSteps(IRandomSource random, double value, double granularity, ulong sigmaSteps) =>
        AddOnLattice(value, granularity, DiscreteGaussian.SampleWithIntegerSigma(random, sigmaSteps));

    /// <summary>Adds discrete-Laplace noise of exactly <paramref name="scaleSteps"/> grid steps on <paramref name="granularity"/>.</summary>
    internal static double AddLaplaceSteps(IRandomSource random, double value, double granularity, ulong scaleSteps) =>
        AddOnLattice(value, granularity, DiscreteLaplace.Sample(random, scaleSteps, 1UL));

    /// <summary>The lattice spacing used for Laplace noise of <paramref name="scale"/>: the smallest power of two ≥ scale / 2^40.</summary>
    public static double LaplaceGranularity(double scale) => PowerOfTwoAtLeast(scale, LaplaceResolutionBits);

    /// <summary>The lattice spacing used for Gaussian noise of <paramref name="sigma"/>: the smallest power of two ≥ σ / 2^20.</summary>
    public static double GaussianGranularity(double sigma) => PowerOfTwoAtLeast(sigma, GaussianResolutionBits);

    /// <summary>The Laplace scale actually applied for a requested <paramref name="scale"/> (rounded up to whole grid steps).</summary>
    public static double EffectiveLaplaceScale(double scale)
    {
        var granularity = LaplaceGranularity(scale);
        return Math.Ceiling(scale / granularity) * granularity;
    }

    /// <summary>The standard deviation actually applied for a requested <paramref name="sigma"/>.</summary>
    public static double EffectiveGaussianSigma(double sigma)
    {
        var granularity = GaussianGranularity(sigma);
        return Math.Ceiling(sigma / granularity) * granularity;
    }

    /// <summary>
    /// The sensitivity after rounding to a lattice of spacing <paramref name="granularity"/>: ⌈Δ/g⌉·g. Inputs that
    /// differ by at most Δ round to lattice points that differ by at most this much.
    /// </summary>
    public static double ChargedSensitivity(double sensitivity, double granularity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sensitivity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(granularity);
        return Math.Ceiling(sensitivity / granularity) * granularity;
    }

    /// <summary>
    /// The smallest Laplace scale b (in the sense of <see cref="AddLaplace"/>) that makes a query of L1
    /// <paramref name="sensitivity"/> ε-DP after lattice rounding: b ≥ ⌈Δ/g_b⌉·g_b / ε with g_b = LaplaceGranularity(b).
    /// </summary>
    public static double LaplaceScale(double sensitivity, double epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sensitivity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        var scale = sensitivity / epsilon;
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var granularity = LaplaceGranularity(scale);
            var steps = Math.Ceiling(ChargedSensitivity(sensitivity, granularity) / granularity);

            // t = ⌈steps/ε⌉ grid steps, checked with an exact fused multiply-add so rounding in the division cannot
            // make the noise a hair too small.
            var t = Math.Ceiling(steps / epsilon);
            while (Math.FusedMultiplyAdd(t, epsilon, -steps) < 0)
            {
                t += 1;
            }

            var candidate = t * granularity;
            if (LaplaceGranularity(candidate) == granularity)
            {
                return candidate;
            }

            // Crossing a power of two changes the lattice; retry on the coarser one.
            scale = Math.Max(candidate, scale * 2);
        }

        throw new InvalidOperationException("No stable Laplace lattice found.");
    }

    /// <summary>Rounds to the nearest multiple of <paramref name="granularity"/> (ties up): monotone, exact.</summary>
    public static double RoundToLattice(double value, double granularity)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Only finite values can be released.");
        }

        var quotient = DivideByPowerOfTwo(value, granularity);
        if (!double.IsFinite(quotient))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Value too large for the noise lattice.");
        }

        var floor = Math.Floor(quotient);
        var rounded = quotient - floor >= 0.5 ? floor + 1 : floor;
        return rounded * granularity;
    }

    private static double AddOnLattice(double value, double granularity, long noiseSteps)
    {
        // Both terms are exact multiples of g; the sum's floating-point rounding depends only on the exact noisy sum
        // (a function of the noisy integer), so it is post-processing and the result is still a multiple of g.
        var result = RoundToLattice(value, granularity) + (noiseSteps * granularity);
        if (!double.IsFinite(result))
        {
            throw new OverflowException("Noisy value overflows a double.");
        }

        return result;
    }

    // x / g: for a positive power of two g, multiplying by 1/g (a power of two too, so exact) rounds the same real
    // x·2^−e once, exactly as the division does, at a fraction of a division's latency. Any other g, or one whose
    // reciprocal is not a normal double (g below 2^−1022 or at 2^1023), keeps the division.
    private static double DivideByPowerOfTwo(double x, double granularity)
    {
        var bits = BitConverter.DoubleToUInt64Bits(granularity);
        var biasedExponent = (int)(bits >> 52); // the sign bit makes a negative granularity ≥ 2048 here
        return (bits & FractionMask) == 0 && biasedExponent is >= 1 and <= 0x7FD
            ? x * BitConverter.UInt64BitsToDouble((ulong)(0x7FE - biasedExponent) << 52)
            : x / granularity;
    }

    private static double PowerOfTwoAtLeast(double scale, int resolutionBits)
    {
        // The common case read off the bits: a positive normal scale whose target scale·2^−bits is normal too. The
        // target is then 2^e·1.m exactly, so the answer is 2^e when m = 0 and 2^(e+1) otherwise, as below.
        var bits = BitConverter.DoubleToUInt64Bits(scale);
        var biasedExponent = (int)(bits >> 52); // the sign bit makes a negative scale ≥ 2048 here
        if (biasedExponent - resolutionBits >= 1 && biasedExponent < 0x7FF)
        {
            var roundUp = (bits & FractionMask) == 0 ? 0 : 1;
            return BitConverter.UInt64BitsToDouble((ulong)(biasedExponent - resolutionBits + roundUp) << 52);
        }

        if (!double.IsFinite(scale) || scale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Noise scale must be finite and positive.");
        }

        var target = Math.ScaleB(scale, -resolutionBits);
        if (target <= double.Epsilon)
        {
            return double.Epsilon;
        }

        var power = Math.ScaleB(1.0, Math.ILogB(target));
        return power == target ? power : power * 2;
    }
}

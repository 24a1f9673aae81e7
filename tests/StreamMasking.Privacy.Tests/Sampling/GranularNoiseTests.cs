using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MathNet.Numerics.Distributions;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.Tests.Sampling;

public class GranularNoiseTests
{
    private static bool IsMultipleOf(double value, double granularity)
    {
        var quotient = value / granularity;
        return double.IsFinite(quotient) && Math.Floor(quotient) == quotient;
    }

    private static Arbitrary<double> FiniteValues() =>
        ArbMap.Default.GeneratorFor<NormalFloat>().Select(f => f.Get).Where(v => Math.Abs(v) < 1e12).ToArbitrary();

    private static Arbitrary<double> Scales() =>
        ArbMap.Default.GeneratorFor<NormalFloat>().Select(f => Math.Abs(f.Get)).Where(v => v > 1e-12 && v < 1e12).ToArbitrary();

    [Property(MaxTest = 2000)]
    public Property AddLaplace_AnyInput_OutputIsExactMultipleOfGranularity() =>
        Prop.ForAll(FiniteValues(), Scales(), ArbMap.Default.ArbFor<ulong>(), (value, scale, seed) =>
        {
            var output = GranularNoise.AddLaplace(new SeededRandomSource(seed), value, scale);
            return IsMultipleOf(output, GranularNoise.LaplaceGranularity(scale));
        });

    [Property(MaxTest = 2000)]
    public Property AddGaussian_AnyInput_OutputIsExactMultipleOfGranularity() =>
        Prop.ForAll(FiniteValues(), Scales(), ArbMap.Default.ArbFor<ulong>(), (value, sigma, seed) =>
        {
            var output = GranularNoise.AddGaussian(new SeededRandomSource(seed), value, sigma);
            return IsMultipleOf(output, GranularNoise.GaussianGranularity(sigma));
        });

    [Property(MaxTest = 500)]
    public Property LaplaceScale_AnySensitivity_CoversRoundingOnItsLattice() =>
        Prop.ForAll(Scales(), Scales(), (sensitivity, epsilon) =>
        {
            var scale = GranularNoise.LaplaceScale(sensitivity, Math.Min(epsilon, 100));
            var granularity = GranularNoise.LaplaceGranularity(scale);
            var charged = GranularNoise.ChargedSensitivity(sensitivity, granularity);
            return GranularNoise.EffectiveLaplaceScale(scale) * Math.Min(epsilon, 100) >= charged * (1 - 1e-15);
        });

    // The granularity read off the scale's bits and the division by it done as a multiplication must give the bits
    // the plain formulas give, for any double: random bit patterns and the edges of the exponent range.
    [Fact]
    public void GranularityAndRounding_AnyDouble_SameBitsAsThePlainFormulas()
    {
        var random = new SeededRandomSource(61);
        var edges = new[]
        {
            double.Epsilon, 2.5e-308, Math.ScaleB(1, -1022), Math.ScaleB(1, -1002), Math.ScaleB(1.5, -1002),
            Math.ScaleB(1, -982), 1, 3, 0.3, double.MaxValue, Math.ScaleB(1, 1023), 1e300, -1, 0, double.NaN,
        };
        var values = edges.Concat(Enumerable.Range(0, 20_000).Select(_ => BitConverter.Int64BitsToDouble((long)random.NextUInt64())));
        foreach (var scale in values)
        {
            Capture(() => GranularNoise.LaplaceGranularity(scale))
                .ShouldBe(Capture(() => PlainPowerOfTwoAtLeast(scale, 40)), $"Laplace, scale {scale:R}");
            Capture(() => GranularNoise.GaussianGranularity(scale))
                .ShouldBe(Capture(() => PlainPowerOfTwoAtLeast(scale, 20)), $"Gaussian, scale {scale:R}");
        }

        var granularities = edges.Where(g => g > 0).Append(Math.ScaleB(1, -1074 + 7)).Append(Math.ScaleB(1, 1000)).Append(0.75);
        foreach (var granularity in granularities)
        {
            foreach (var value in edges.Concat(Enumerable.Range(0, 2_000).Select(_ => BitConverter.Int64BitsToDouble((long)random.NextUInt64()))))
            {
                Capture(() => GranularNoise.RoundToLattice(value, granularity))
                    .ShouldBe(Capture(() => PlainRoundToLattice(value, granularity)), $"{value:R} on {granularity:R}");
            }
        }
    }

    // The bits of the result, or the exception's type.
    private static string Capture(Func<double> compute)
    {
        try
        {
            return BitConverter.DoubleToInt64Bits(compute()).ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (ArgumentOutOfRangeException e)
        {
            return e.GetType().Name;
        }
    }

    private static double PlainPowerOfTwoAtLeast(double scale, int resolutionBits)
    {
        if (!double.IsFinite(scale) || scale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale));
        }

        var target = Math.ScaleB(scale, -resolutionBits);
        if (target <= double.Epsilon)
        {
            return double.Epsilon;
        }

        var power = Math.ScaleB(1.0, Math.ILogB(target));
        return power == target ? power : power * 2;
    }

    private static double PlainRoundToLattice(double value, double granularity)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        var quotient = value / granularity;
        if (!double.IsFinite(quotient))
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        var floor = Math.Floor(quotient);
        var rounded = quotient - floor >= 0.5 ? floor + 1 : floor;
        return rounded * granularity;
    }

    [Fact]
    public void RoundToLattice_IsMonotoneHalfUp()
    {
        GranularNoise.RoundToLattice(0.5, 1).ShouldBe(1);
        GranularNoise.RoundToLattice(-0.5, 1).ShouldBe(0);
        GranularNoise.RoundToLattice(2.49, 1).ShouldBe(2);
        GranularNoise.RoundToLattice(1e300, 1).ShouldBe(1e300);
    }

    [Fact]
    public void Granularity_IsSmallestPowerOfTwoAboveScaleOver2To40()
    {
        GranularNoise.LaplaceGranularity(1).ShouldBe(Math.ScaleB(1, -40));
        GranularNoise.LaplaceGranularity(3).ShouldBe(Math.ScaleB(1, -38));
        GranularNoise.GaussianGranularity(1).ShouldBe(Math.ScaleB(1, -20));
    }

    // Two-sample chi-square on the low-bit class of outputs for inputs 0 and 1; p > 1e-4, so the false-failure rate
    // of the granular mechanisms is below 1e-4 (each per noise family).
    [Theory]
    [InlineData("laplace")]
    [InlineData("gaussian")]
    public void LowBits_InputZeroVersusOne_Indistinguishable(string family)
    {
        Func<IRandomSource, double, double> mechanism = family == "laplace"
            ? (r, x) => GranularNoise.AddLaplace(r, x, 1.0)
            : (r, x) => GranularNoise.AddGaussian(r, x, 1.0);
        LowBitHomogeneityPValue(mechanism, 41).ShouldBeGreaterThan(1e-4);
    }

    // Proof of power: the textbook float Laplace leaks its input through its low bits (Mironov 2012), and the same
    // test rejects it with p far below the threshold.
    [Fact]
    public void LowBits_NaiveFloatLaplace_IsDetected()
    {
        LowBitHomogeneityPValue(NaiveFloatLaplace, 41).ShouldBeLessThan(1e-4);
    }

    /// <summary>Test-only, deliberately insecure: −b·sign(u)·ln(1 − 2|u|) on doubles.</summary>
    private static double NaiveFloatLaplace(IRandomSource random, double value)
    {
        var u = ((random.NextUInt64() >> 11) * Math.ScaleB(1, -53)) - 0.5;
        return value - (1.0 * Math.Sign(u) * Math.Log(1 - (2 * Math.Abs(u))));
    }

    private static double LowBitHomogeneityPValue(Func<IRandomSource, double, double> mechanism, ulong seed)
    {
        const int n = 200_000;
        var random = new SeededRandomSource(seed);
        var zero = new long[LowBitClasses];
        var one = new long[LowBitClasses];
        for (var i = 0; i < n; i++)
        {
            zero[LowBitClass(mechanism(random, 0))]++;
            one[LowBitClass(mechanism(random, 1))]++;
        }

        // Chi-square test of homogeneity over classes observed at least 10 times in total.
        double statistic = 0;
        var df = -1;
        for (var c = 0; c < LowBitClasses; c++)
        {
            var total = zero[c] + one[c];
            if (total < 10)
            {
                continue;
            }

            var expected = total / 2.0;
            statistic += ((zero[c] - expected) * (zero[c] - expected) / expected) + ((one[c] - expected) * (one[c] - expected) / expected);
            df++;
        }

        return df <= 0 ? 1 : 1 - ChiSquared.CDF(df, statistic);
    }

    private const int LowBitClasses = 8;

    // Class of the lowest set bit 2^−j of the output (j = binary digits after the point), bucketed around the
    // lattice 2^−40 and the double's own resolution near 1 (2^−52, 2^−53).
    private static int LowBitClass(double value)
    {
        if (value == 0)
        {
            return 0;
        }

        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        var mantissa = (bits & 0xFFFFFFFFFFFFFL) | (1L << 52);
        var exponent = (int)((bits >> 52) & 0x7FF) - 1075;
        var j = -(exponent + System.Numerics.BitOperations.TrailingZeroCount(mantissa));
        return j switch
        {
            <= 20 => 1,
            <= 39 => 2,
            40 => 3,
            <= 51 => 4,
            52 => 5,
            53 => 6,
            _ => 7,
        };
    }
}

using StreamMasking.Privacy.ContinualRelease;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.ContinualRelease;

public class SquareRootFactorizationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(6)]
    public void Coefficients_SquaredMatrix_IsAllOnesLowerTriangular(int log2)
    {
        var c = SquareRootFactorization.For(log2).Coefficients;
        var n = c.Length;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                // (C·C)_{ij} = Σ_{j≤k≤i} c_{i−k}·c_{k−j}
                var entry = 0.0;
                for (var k = j; k <= i; k++)
                {
                    entry += c[i - k] * c[k - j];
                }

                entry.ShouldBe(1.0, 1e-12);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(8)]
    public void Sensitivity_BruteForceOverAllColumns_EqualsFirstColumnNormAndBoundsFixedPointMatrix(int log2)
    {
        var f = SquareRootFactorization.For(log2);
        var n = f.Coefficients.Length;
        var maxColumnNorm = 0.0;
        var maxFixedColumnNorm = 0.0;
        for (var i = 0; i < n; i++)
        {
            // Column i of the explicit T×T matrix: rows t ≥ i hold c_{t−i}.
            var norm = 0.0;
            var fixedNorm = 0.0;
            for (var t = 0; t < n; t++)
            {
                var entry = t >= i ? f.Coefficients[t - i] : 0;
                var fixedEntry = t >= i ? Math.ScaleB((double)f.FixedCoefficients[t - i], -SquareRootFactorization.FractionBits) : 0;
                norm += entry * entry;
                fixedNorm += fixedEntry * fixedEntry;
            }

            maxColumnNorm = Math.Max(maxColumnNorm, Math.Sqrt(norm));
            maxFixedColumnNorm = Math.Max(maxFixedColumnNorm, Math.Sqrt(fixedNorm));
        }

        maxColumnNorm.ShouldBe(f.ColumnNorm, 1e-12);
        f.FixedColumnNorm.ShouldBeGreaterThanOrEqualTo(maxFixedColumnNorm);
        f.FixedColumnNorm.ShouldBe(maxColumnNorm, 1e-9);
    }

    [Theory]
    [InlineData(4, 11UL)]
    [InlineData(8, 12UL)]
    public void Sensitivity_AllNeighbouringStreams_RoundedReleaseWithinCalibratedBound(int log2, ulong seed)
    {
        // The mechanism's release before noise is m = round(C̃·n) on lattice integers n. Over every position i and
        // every extreme change ±D (D = ⌈Δ/g⌉ lattice steps) of a random base stream, ‖m − m′‖₂ must stay within the
        // sensitivity the noise is calibrated to; the bound must also be nearly attained (not vacuous).
        var options = CounterTestKit.Options(CounterMechanism.SquareRootFactorization, log2, sensitivity: 3, budget: 0.5);
        var counter = (SquareRootFactorizationCounter)((ContinualCounter)ContinualCounter.Create(options, CounterTestKit.Key(seed))).CurrentEpoch;
        var n = 1 << log2;
        var random = new SeededRandomSource(seed);
        var baseStream = Enumerable.Range(0, n).Select(_ => (long)(random.NextUInt64() % (1UL << 40)) - (1L << 39)).ToArray();
        var changes = log2 <= 4
            ? new[] { -counter.SensitivitySteps, counter.SensitivitySteps, counter.SensitivitySteps / 3 }
            : [-counter.SensitivitySteps, counter.SensitivitySteps];
        var worst = CounterTestKit.WorstNeighbourDistance(baseStream, changes, stream => SquareRootFactorizationCounter.EncodeAll(log2, stream));

        worst.ShouldBeLessThanOrEqualTo(counter.L2SensitivitySteps);
        worst.ShouldBeGreaterThan(0.999 * counter.SensitivitySteps * SquareRootFactorization.For(log2).ColumnNorm);
    }

    [Fact]
    public void ErrorFactor_Horizon2Pow16_IsAtMost4Point50AndAboveLowerBound()
    {
        // Exact, from the factorization (see CounterErrorFactors for the normalization).
        var sqrt = CounterErrorFactors.SquareRoot(16);
        sqrt.Rms.ShouldBeLessThanOrEqualTo(4.50);
        sqrt.Rms.ShouldBeGreaterThan(4.23);
        sqrt.Rms.ShouldBe(4.434, 0.001);
        sqrt.Max.ShouldBe(4.596, 0.001);

        // The same normalization gives the binary tree its textbook 11.66 = √17 · √8.
        CounterErrorFactors.BinaryTreeGaussian(16, honaker: false).Rms.ShouldBe(Math.Sqrt(17 * 8.0), 0.001);
    }
}

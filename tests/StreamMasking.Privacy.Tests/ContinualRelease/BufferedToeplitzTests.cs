using StreamMasking.Privacy.ContinualRelease;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.ContinualRelease;

public class BufferedToeplitzTests
{
    [Fact]
    public void EncodeAll_UnitImpulse_ReproducesSquareRootCoefficients()
    {
        // The exact big-integer recurrences applied to a (scaled) unit impulse give the strategy's column, which
        // must approximate the square-root coefficients c_k = binom(2k,k)/4^k.
        const int log2 = 10;
        var scale = 1L << 40;
        var impulse = new long[1 << log2];
        impulse[0] = scale;
        var column = BufferedToeplitzCounter.EncodeAll(new EpochSpec(0, log2, CounterTestKit.Options(CounterMechanism.BufferedToeplitz, log2).Budget), impulse);
        var c = SquareRootFactorization.For(log2).Coefficients;
        for (var k = 0; k < impulse.Length; k++)
        {
            ((double)column[k] / scale).ShouldBe(c[k], 1e-3);
        }
    }

    [Theory]
    [InlineData(4, 21UL)]
    [InlineData(6, 22UL)]
    public void Sensitivity_AllNeighbouringStreams_NonlinearEncodingWithinCalibratedBound(int log2, ulong seed)
    {
        // The fixed-point recurrences are not exactly linear; over every position and extreme change ±D of a random
        // base stream the rounded encoding must still move by at most the calibrated L2 sensitivity, which must be
        // nearly attained.
        var options = CounterTestKit.Options(CounterMechanism.BufferedToeplitz, log2, sensitivity: 3, budget: 0.5);
        var counter = (BufferedToeplitzCounter)((ContinualCounter)ContinualCounter.Create(options, CounterTestKit.Key(seed))).CurrentEpoch;
        var spec = counter.Spec;
        var n = 1 << log2;
        var random = new SeededRandomSource(seed);
        var baseStream = Enumerable.Range(0, n).Select(_ => (long)(random.NextUInt64() % (1UL << 50)) - (1L << 49)).ToArray();
        var changes = log2 <= 4
            ? new[] { -counter.SensitivitySteps, counter.SensitivitySteps, counter.SensitivitySteps / 3, 1 }
            : [-counter.SensitivitySteps, counter.SensitivitySteps];
        var worst = CounterTestKit.WorstNeighbourDistance(baseStream, changes, stream => BufferedToeplitzCounter.EncodeAll(spec, stream));

        worst.ShouldBeLessThanOrEqualTo(counter.L2SensitivitySteps);
        worst.ShouldBeGreaterThan(0.999 * counter.SensitivitySteps * BufferedToeplitzFactorization.For(log2).ColumnNorm * (1 - 1e-6));
    }

    [Fact]
    public void ErrorFactor_Horizon2Pow16_IsAtMost4Point50()
    {
        var blt = CounterErrorFactors.BufferedToeplitz(16);
        blt.Rms.ShouldBeLessThanOrEqualTo(4.50);
        blt.Rms.ShouldBeGreaterThan(4.23);
        blt.Rms.ShouldBe(CounterErrorFactors.SquareRoot(16).Rms, 0.01);
    }

    [Fact]
    public void AllZeroStream4000Runs_PerStepVarianceWithin10PercentOfTheory()
    {
        // As for the square root: ±10% is 4.47 standard errors of a 4,000-sample Gaussian variance, p ≈ 8e-6 per
        // step, < 3e-4 over 32 steps.
        const int runs = 4000;
        const int steps = 32;
        var options = CounterTestKit.Options(CounterMechanism.BufferedToeplitz, 5, sensitivity: 2, budget: 0.5);
        var counter = ContinualCounter.Create(options, CounterTestKit.Key(0));
        var variances = CounterTestKit.SampleVariances(CounterTestKit.ZeroStreamOutputs(options, runs, steps, 77_000));
        for (var t = 1; t <= steps; t++)
        {
            (variances[t - 1] / counter.Variance(t)).ShouldBeInRange(0.90, 1.10, $"step {t}");
        }
    }

    [Fact]
    public void State_AtHorizon2Pow16_IsSmallAndIndependentOfSteps()
    {
        var counter = ContinualCounter.Create(CounterTestKit.Options(CounterMechanism.BufferedToeplitz, 16), CounterTestKit.Key(5));
        for (var i = 0; i < 2000; i++)
        {
            counter.Release(i % 17);
        }

        var after2000 = counter.ToBytes().Length;
        for (var i = 0; i < 2000; i++)
        {
            counter.Release(i % 17);
        }

        // d = 24 buffers of a ~20-byte integer and a double, plus options: no per-step growth.
        after2000.ShouldBeLessThan(1200);
        Math.Abs(counter.ToBytes().Length - after2000).ShouldBeLessThanOrEqualTo(24);
    }
}

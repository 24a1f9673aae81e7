using System.Numerics;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>
/// Binary tree mechanism (Dwork–Naor–Pitassi–Rothblum 2010; Chan–Shi–Song 2011) over a horizon T = 2^L, pure ε-DP
/// with discrete Laplace noise on a power-of-two lattice, optionally with Honaker's online variance reduction.
/// </summary>
/// <remarks>
/// Privacy: x_t lies in exactly one dyadic node per level, L + 1 levels. Each level is released with
/// ε_level = ε/(L+1) by the discrete Laplace mechanism on exact integer node sums (inputs rounded once to the lattice,
/// sensitivity charged as ⌈Δ/g⌉ steps), so the tree is ε-DP by basic composition over levels; outputs are
/// post-processing. Adaptively chosen inputs are covered because node noise is independent of the data.
/// State: O(log T): the step, the partial integer sum (128-bit, so totals cannot overflow) of the open node on each level and the latest completed node
/// estimate on each level (exactly the nodes a future prefix can still use). Time O(log T) per step.
/// Noise: the nodes completing at step t draw in level order from the keyed stream (counter id, epoch, "tree-step",
/// t); node (h, i) completes only at t = (i+1)·2^h, so its noise is identical after a restore or replay.
/// </remarks>
internal sealed class BinaryTreeCounter : IEpochCounter
{
    private readonly CounterNoise _noise;
    private readonly bool _honaker;
    private readonly ulong _scaleSteps;
    private readonly double[] _relativeVariance;
    private readonly Int128[] _partial;
    private readonly double[] _estimate;

    public BinaryTreeCounter(EpochSpec spec, double sensitivity, bool honaker, CounterNoise noise)
    {
        Spec = spec;
        _noise = noise;
        _honaker = honaker;
        var levels = spec.Log2Horizon + 1;

        // ε/(L+1) rounded down, so that (L+1)·ε_level never exceeds ε.
        var epsilon = spec.Budget.Epsilon.Value;
        var epsilonLevel = epsilon / levels;
        if (Math.FusedMultiplyAdd(epsilonLevel, levels, -epsilon) > 0)
        {
            epsilonLevel = Math.BitDecrement(epsilonLevel);
        }

        var scale = GranularNoise.LaplaceScale(sensitivity, epsilonLevel);
        Granularity = GranularNoise.LaplaceGranularity(scale);
        _scaleSteps = checked((ulong)Math.Round(scale / Granularity));
        SensitivitySteps = LatticeUnits.Sensitivity(sensitivity, Granularity);
        NodeVarianceSteps = DiscreteLaplaceVariance(_scaleSteps);
        _relativeVariance = HonakerEstimator.RelativeLevelVariances(levels, honaker);
        _partial = new Int128[levels];
        _estimate = new double[levels];
    }

    public EpochSpec Spec { get; }

    public long Steps { get; private set; }

    /// <summary>Lattice spacing g of inputs and noise.</summary>
    public double Granularity { get; }

    /// <summary>⌈Δ/g⌉: the per-node sensitivity in lattice steps.</summary>
    public long SensitivitySteps { get; }

    /// <summary>Laplace scale in lattice steps.</summary>
    public ulong ScaleSteps => _scaleSteps;

    /// <summary>Variance of one node's discrete Laplace noise, in lattice steps squared.</summary>
    public double NodeVarianceSteps { get; }

    public double Release(double value)
    {
        if (Steps >= Spec.Horizon)
        {
            throw new InvalidOperationException("The counter's horizon is exhausted.");
        }

        var units = LatticeUnits.FromValue(value, Granularity);
        var t = Steps + 1;
        for (var h = 0; h < _partial.Length; h++)
        {
            _partial[h] = checked(_partial[h] + units);
        }

        // Levels 0..tz complete at step t (tz = trailing zeros of t). Release them bottom-up; the left child of
        // level h is the estimate stored at level h−1 before this step, the right child the one just computed.
        // Node (h, i) completes at the unique step t = (i+1)·2^h, so the nodes completing now draw, lowest level
        // first, from the keyed stream of step t: each node's noise is a fixed function of the key and its position.
        var completedLevels = Math.Min(BitOperations.TrailingZeroCount(t), Spec.Log2Horizon);
        var random = _noise.For("tree-step", 0, t);
        var previousChild = 0.0;
        var currentChild = 0.0;
        for (var h = 0; h <= completedLevels; h++)
        {
            var noise = DiscreteLaplace.Sample(random, _scaleSteps, 1UL);
            var noisy = (double)(_partial[h] + noise);
            _partial[h] = 0;
            var estimate = h > 0 && _honaker
                ? (HonakerEstimator.SelfWeight(_relativeVariance, h) * noisy)
                  + ((1 - HonakerEstimator.SelfWeight(_relativeVariance, h)) * (previousChild + currentChild))
                : noisy;
            previousChild = _estimate[h];
            currentChild = estimate;
            _estimate[h] = estimate;
        }

        Steps = t;
        return Output(t);
    }

    public double Variance(long atStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(atStep, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(atStep, Spec.Horizon);
        return Granularity * Granularity * NodeVarianceSteps
            * HonakerEstimator.RelativePrefixVariance(_relativeVariance, atStep);
    }

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(Steps);
        foreach (var p in _partial)
        {
            writer.Write((ulong)(p >> 64));
            writer.Write((ulong)p);
        }

        foreach (var e in _estimate)
        {
            writer.Write(e);
        }
    }

    public void ReadState(BinaryReader reader)
    {
        var step = reader.ReadInt64();
        if (step < 0 || step > Spec.Horizon)
        {
            throw new FormatException("Counter step out of range.");
        }

        Steps = step;
        for (var h = 0; h < _partial.Length; h++)
        {
            var high = reader.ReadUInt64();
            _partial[h] = (Int128)new UInt128(high, reader.ReadUInt64());
        }

        for (var h = 0; h < _estimate.Length; h++)
        {
            _estimate[h] = reader.ReadDouble();
        }
    }

    /// <summary>Variance of the discrete Laplace law P(k) ∝ exp(−|k|/t): 2p/(1−p)² with p = e^(−1/t).</summary>
    internal static double DiscreteLaplaceVariance(ulong scaleSteps)
    {
        var p = Math.Exp(-1.0 / scaleSteps);
        var oneMinusP = -double.ExpM1(-1.0 / scaleSteps);
        return 2 * p / (oneMinusP * oneMinusP);
    }

    private double Output(long t)
    {
        var sum = 0.0;
        for (var h = 0; h < _estimate.Length; h++)
        {
            if (((t >> h) & 1) != 0)
            {
                sum += _estimate[h];
            }
        }

        return sum * Granularity;
    }
}

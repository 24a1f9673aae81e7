using System.Runtime.InteropServices;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>
/// Gaussian matrix-mechanism counter with the square-root factorization A = C·C (ρ-zCDP): releases y = C̃x + z with
/// discrete Gaussian z on the noise lattice and outputs C·y ≈ prefix sums + C·z.
/// </summary>
/// <remarks>
/// Privacy: inputs are rounded once to the lattice g (integers n_t; one step changes by at most D = ⌈Δ/g⌉), C̃·n is
/// computed exactly in 128-bit integers and rounded half-up to whole lattice steps m. Neighbouring streams give
/// ‖m − m′‖₂ ≤ D·‖C̃ e₁‖₂ + √T (rounding moves each of at most T coordinates by less than one step), and adding
/// independent discrete Gaussians of variance σ² (in steps) per coordinate is (that²/(2σ²))-zCDP
/// (Canonne–Kamath–Steinke 2020); σ is chosen so this is at most ρ. The outputs C·y are post-processing. Because C
/// is lower triangular, step t's release depends only on x_1..x_t, which covers adaptively chosen inputs (Denisov
/// et al. 2022).
/// Error: Var(output_t) = σ²·g²·Σ_{k&lt;t} c_k²; RMS over t at T = 2^16 is 4.43 in units of the Gaussian noise a
/// single sensitivity-Δ query would need at the same ρ (see <see cref="CounterErrorFactors"/>).
/// Cost: memory and persisted state O(t): 16 bytes per step (the lattice inputs n and the released y; y could be
/// recomputed from the key but that takes O(t²)); time O(t) per step (two length-t convolutions).
/// Noise: step t draws from the keyed stream (counter id, epoch, "step", 0, t).
/// </remarks>
internal sealed class SquareRootFactorizationCounter : IEpochCounter
{
    private readonly CounterNoise _noise;
    private readonly SquareRootFactorization _factorization;
    private readonly ulong _sigmaSquaredSteps;
    private readonly List<long> _inputs = [];
    private readonly List<long> _released = [];

    public SquareRootFactorizationCounter(EpochSpec spec, double sensitivity, CounterNoise noise)
    {
        Spec = spec;
        _noise = noise;
        _factorization = SquareRootFactorization.For(spec.Log2Horizon);
        var sqrtTwoRho = Math.Sqrt(2 * spec.Budget.Rho.Value);

        // Lattice chosen from the unrounded σ; then σ (in whole steps) is calibrated to the rounding-charged
        // sensitivity, always rounding up.
        Granularity = GranularNoise.GaussianGranularity(sensitivity * _factorization.FixedColumnNorm / sqrtTwoRho);
        SensitivitySteps = LatticeUnits.Sensitivity(sensitivity, Granularity);
        L2SensitivitySteps = ((SensitivitySteps * _factorization.FixedColumnNorm) + Math.Sqrt(spec.Horizon)) * (1 + 1e-12);
        SigmaSteps = checked((ulong)Math.Ceiling(L2SensitivitySteps / sqrtTwoRho * (1 + 1e-12)));
        _sigmaSquaredSteps = checked(SigmaSteps * SigmaSteps);
    }

    public EpochSpec Spec { get; }

    public long Steps => _inputs.Count;

    public double Granularity { get; }

    public long SensitivitySteps { get; }

    /// <summary>Upper bound on the L2 sensitivity of the rounded release m, in lattice steps.</summary>
    public double L2SensitivitySteps { get; }

    /// <summary>σ of the discrete Gaussian noise, in lattice steps.</summary>
    public ulong SigmaSteps { get; }

    public double Release(double value)
    {
        if (Steps >= Spec.Horizon)
        {
            throw new InvalidOperationException("The counter's horizon is exhausted.");
        }

        _inputs.Add(LatticeUnits.FromValue(value, Granularity));
        var t = _inputs.Count;
        var m = RoundedEncoding(t);
        var z = DiscreteGaussian.Sample(_noise.For("step", 0, t), _sigmaSquaredSteps);
        _released.Add(checked(m + z));
        return Output(t);
    }

    public double Variance(long atStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(atStep, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(atStep, Spec.Horizon);
        var sigma = SigmaSteps * Granularity;
        return sigma * sigma * _factorization.CumulativeSquares[atStep - 1];
    }

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_inputs.Count);
        for (var i = 0; i < _inputs.Count; i++)
        {
            writer.Write(_inputs[i]);
            writer.Write(_released[i]);
        }
    }

    public void ReadState(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > Spec.Horizon || _inputs.Count != 0)
        {
            throw new FormatException("Counter step out of range.");
        }

        for (var i = 0; i < count; i++)
        {
            _inputs.Add(reader.ReadInt64());
            _released.Add(reader.ReadInt64());
        }
    }

    /// <summary>m_t = round(Σ_{k&lt;t} C̃_k·n_{t−k} / 2^40), exact (128-bit), half-up.</summary>
    internal long RoundedEncoding(int t) => EncodeStep(_factorization.FixedCoefficients, _inputs, t);

    /// <summary>Encodes a whole stream of lattice inputs (for sensitivity tests): m_1..m_T.</summary>
    internal static long[] EncodeAll(int log2Horizon, IReadOnlyList<long> inputs)
    {
        var fixedCoefficients = SquareRootFactorization.For(log2Horizon).FixedCoefficients;
        var result = new long[inputs.Count];
        for (var t = 1; t <= inputs.Count; t++)
        {
            result[t - 1] = EncodeStep(fixedCoefficients, inputs, t);
        }

        return result;
    }

    private static long EncodeStep(long[] fixedCoefficients, IReadOnlyList<long> inputs, int t)
    {
        var values = inputs is List<long> list ? CollectionsMarshal.AsSpan(list)[..t] : inputs.Take(t).ToArray();
        var coefficients = fixedCoefficients.AsSpan(0, t);
        Int128 sum = 0;
        for (var j = 0; j < t; j++)
        {
            // Exact 64×64→128-bit product; |sum| < 2^40 · 2^62 · 2^20 fits in 128 bits.
            var high = Math.BigMul(coefficients[t - 1 - j], values[j], out var low);
            sum += new Int128((ulong)high, (ulong)low);
        }

        var half = Int128.One << (SquareRootFactorization.FractionBits - 1);
        return checked((long)((sum + half) >> SquareRootFactorization.FractionBits));
    }

    private double Output(int t)
    {
        var c = _factorization.Coefficients.AsSpan(0, t);
        var released = CollectionsMarshal.AsSpan(_released);
        var sum = 0.0;
        for (var j = 0; j < t; j++)
        {
            sum += c[t - 1 - j] * released[j];
        }

        return sum * Granularity;
    }
}

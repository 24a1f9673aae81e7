using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>
/// Gaussian matrix-mechanism counter (ρ-zCDP) with a buffered-linear-Toeplitz strategy C̃ that approximates the
/// square-root factorization (<see cref="BufferedToeplitzFactorization"/>): the same error as the exact square root
/// with O(d) state and O(d) time per step (d = 24 buffers).
/// </summary>
/// <remarks>
/// Privacy: inputs are rounded once to the lattice g (integers n_t; one step changes by at most D = ⌈Δ/g⌉). The
/// encoding C̃·n is computed by the recurrences S_i ← ⌊Θ_i·S_i / 2^32⌋ + n_{t−1}·2^32 and
/// Z_t = n_t·2^32 + Σ_i ⌊W_i·S_i / 2^32⌋ in exact 128-bit integers (|S_i| &lt; 2^62·2^32/(1−θ_i) &lt; 2^126), then
/// m_t = round(Z_t / 2^32). The floors make the map slightly non-linear, but every coordinate stays within
/// E = Σ_i (w_i/(1−θ_i) + 1)·2^−32 (about 4e−6) of the exact linear map
/// (the error of a stable first-order recurrence), independently of the data. Hence for neighbouring streams
/// ‖m − m′‖₂ ≤ D·‖C̃ e₁‖₂ + (1 + 2E)·√T, and discrete Gaussian noise of σ steps calibrated to that bound is ρ-zCDP
/// (Canonne–Kamath–Steinke 2020). Outputs g·(A·C̃⁻¹·y)_t come from the inverse recurrence in doubles (post-processing).
/// State: the step, d 128-bit encoding buffers, d double decoding buffers, the last input, the last decoded value and
/// the running output: 24·d + 32 bytes (0.6 KiB for d = 23), independent of T. Noise: step t draws from the keyed stream (counter id, epoch, "blt-step", t).
/// </remarks>
internal sealed class BufferedToeplitzCounter : IEpochCounter
{
    private readonly CounterNoise _noise;
    private readonly BufferedToeplitzFactorization _factorization;
    private readonly ulong _sigmaSquaredSteps;
    private readonly Int128[] _encoding;
    private readonly double[] _decoding;
    private long _previousInput;
    private double _previousDecoded;
    private double _prefix;

    public BufferedToeplitzCounter(EpochSpec spec, double sensitivity, CounterNoise noise)
    {
        Spec = spec;
        _noise = noise;
        _factorization = BufferedToeplitzFactorization.For(spec.Log2Horizon);
        var sqrtTwoRho = Math.Sqrt(2 * spec.Budget.Rho.Value);
        Granularity = GranularNoise.GaussianGranularity(sensitivity * _factorization.ColumnNorm / sqrtTwoRho);
        SensitivitySteps = LatticeUnits.Sensitivity(sensitivity, Granularity);
        L2SensitivitySteps = ((SensitivitySteps * _factorization.ColumnNorm)
            + ((1 + _factorization.TruncationError) * Math.Sqrt(spec.Horizon))) * (1 + 1e-12);
        SigmaSteps = checked((ulong)Math.Ceiling(L2SensitivitySteps / sqrtTwoRho * (1 + 1e-12)));
        _sigmaSquaredSteps = checked(SigmaSteps * SigmaSteps);
        _encoding = new Int128[_factorization.Theta.Length];
        _decoding = new double[_factorization.Theta.Length];
    }

    public EpochSpec Spec { get; }

    public long Steps { get; private set; }

    public double Granularity { get; }

    public long SensitivitySteps { get; }

    public double L2SensitivitySteps { get; }

    public ulong SigmaSteps { get; }

    public double Release(double value)
    {
        if (Steps >= Spec.Horizon)
        {
            throw new InvalidOperationException("The counter's horizon is exhausted.");
        }

        var input = LatticeUnits.FromValue(value, Granularity);
        var t = Steps + 1;
        var m = Encode(input);
        var y = checked(m + DiscreteGaussian.Sample(_noise.For("blt-step", 0, t), _sigmaSquaredSteps));

        // Decode u = C̃⁻¹y with the mirrored recurrence (doubles: post-processing), then output g·Σu.
        var theta = _factorization.Theta;
        var weight = _factorization.Weight;
        var decoded = (double)y;
        for (var i = 0; i < _decoding.Length; i++)
        {
            _decoding[i] = t == 1 ? 0 : (theta[i] * _decoding[i]) + _previousDecoded;
            decoded -= weight[i] * _decoding[i];
        }

        _previousDecoded = decoded;
        _prefix += decoded;
        Steps = t;
        return _prefix * Granularity;
    }

    public double Variance(long atStep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(atStep, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(atStep, Spec.Horizon);
        var sigma = SigmaSteps * Granularity;
        return sigma * sigma * _factorization.CumulativeRowSquares[atStep - 1];
    }

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(Steps);
        writer.Write(_previousInput);
        writer.Write(_previousDecoded);
        writer.Write(_prefix);
        foreach (var s in _encoding)
        {
            writer.Write((ulong)(s >> 64));
            writer.Write((ulong)s);
        }

        foreach (var r in _decoding)
        {
            writer.Write(r);
        }
    }

    public void ReadState(BinaryReader reader)
    {
        var steps = reader.ReadInt64();
        if (steps < 0 || steps > Spec.Horizon)
        {
            throw new FormatException("Counter step out of range.");
        }

        Steps = steps;
        _previousInput = reader.ReadInt64();
        _previousDecoded = reader.ReadDouble();
        _prefix = reader.ReadDouble();
        for (var i = 0; i < _encoding.Length; i++)
        {
            var high = reader.ReadUInt64();
            _encoding[i] = (Int128)new UInt128(high, reader.ReadUInt64());
        }

        for (var i = 0; i < _decoding.Length; i++)
        {
            _decoding[i] = reader.ReadDouble();
        }
    }

    /// <summary>Encodes a whole stream of lattice inputs with fresh buffers (for sensitivity tests): m_1..m_T.</summary>
    internal static long[] EncodeAll(EpochSpec spec, IReadOnlyList<long> inputs)
    {
        var counter = new BufferedToeplitzCounter(spec, 1, new CounterNoise(new byte[16], "encode-only", 0));
        return [.. inputs.Select(counter.EncodeAndAdvance)];
    }

    private long EncodeAndAdvance(long input)
    {
        var m = Encode(input);
        Steps++;
        return m;
    }

    /// <summary>Advances the encoding buffers by the previous input and returns m_t = round(Z_t / 2^32) (exact).</summary>
    private long Encode(long input)
    {
        const int bits = BufferedToeplitzFactorization.FractionBits;
        var fixedTheta = _factorization.FixedTheta;
        var fixedWeight = _factorization.FixedWeight;
        var z = (Int128)input << bits;
        for (var i = 0; i < _encoding.Length; i++)
        {
            if (Steps > 0)
            {
                _encoding[i] = checked(MultiplyShift(fixedTheta[i], _encoding[i]) + ((Int128)_previousInput << bits));
            }

            z = checked(z + MultiplyShift(fixedWeight[i], _encoding[i]));
        }

        _previousInput = input;
        return checked((long)((z + (Int128.One << (bits - 1))) >> bits));
    }

    /// <summary>⌊c·s / 2^32⌋ exactly, for 0 ≤ c &lt; 2^32 and |s| &lt; 2^126 (the 160-bit product is split in halves).</summary>
    private static Int128 MultiplyShift(long coefficient, Int128 value)
    {
        // c·s = c·H·2^64 + c·L with s = H·2^64 + L (L unsigned); c·H·2^64 is divisible by 2^32.
        var high = (long)(value >> 64);
        var low = (ulong)value;
        var upper = checked((Int128)coefficient * high) << 32;
        var lower = (Int128)(((UInt128)(ulong)coefficient * low) >> 32);
        return checked(upper + lower);
    }
}

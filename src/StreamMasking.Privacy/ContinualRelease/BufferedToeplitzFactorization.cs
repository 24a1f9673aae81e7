using System.Collections.Concurrent;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>
/// A buffered-linear-Toeplitz (BLT) strategy matrix C̃ that approximates the square-root factorization with d
/// exponentials, so C̃·x and C̃⁻¹·y are computed by d-term recurrences with O(d) state (the BLT idea of
/// Dvijotham, McMahan, Pillutla, Steinke, Thakurta 2024, "Efficient and near-optimal noise generation for streaming
/// differential privacy").
/// </summary>
/// <remarks>
/// Parameters come from a quadrature, not an optimiser: the square-root coefficients have the exact mixture form
/// c_k = binom(2k,k)/4^k = (1/π)∫₀¹ θ^k θ^(−1/2)(1−θ)^(−1/2) dθ (a Beta integral), and with θ = exp(−e^u) the
/// trapezoid rule on u ∈ [−20, 4] with step 1 gives c̃_0 = 1, c̃_k = Σᵢ wᵢ θᵢ^(k−1) for k ≥ 1. The decay rates and
/// weights are stored as 32-bit fixed-point integers Θᵢ = round(θᵢ·2^32), Wᵢ = round(wᵢ·2^32); the mechanism is defined
/// by these exact rationals. At T = 2^16 the error factor matches the exact square root (4.43).
/// </remarks>
internal sealed class BufferedToeplitzFactorization
{
    public const int FractionBits = 32;
    private const double QuadratureStart = -20;
    private const double QuadratureEnd = 4;
    private const double QuadratureStep = 1;

    private static readonly ConcurrentDictionary<int, BufferedToeplitzFactorization> s_cache = new();

    private BufferedToeplitzFactorization(int log2Horizon)
    {
        var theta = new List<long>();
        var weight = new List<long>();
        for (var u = QuadratureStart; u <= QuadratureEnd; u += QuadratureStep)
        {
            var decay = Math.Exp(-Math.Exp(u));
            var oneMinus = -double.ExpM1(-Math.Exp(u));
            var w = QuadratureStep / Math.PI * Math.Sqrt(decay / oneMinus) * Math.Exp(u) * decay;
            var fixedTheta = (long)Math.Min(Math.Round(Math.ScaleB(decay, FractionBits)), uint.MaxValue);
            var fixedWeight = (long)Math.Min(Math.Round(Math.ScaleB(w, FractionBits)), uint.MaxValue);
            if (fixedTheta != 0 && fixedWeight != 0)
            {
                theta.Add(fixedTheta);
                weight.Add(fixedWeight);
            }
        }

        FixedTheta = [.. theta];
        FixedWeight = [.. weight];
        Theta = [.. theta.Select(t => Math.ScaleB((double)t, -FractionBits))];
        Weight = [.. weight.Select(w => Math.ScaleB((double)w, -FractionBits))];

        // Data-independent bound on the fixed-point truncation error of one encoded coordinate (see counter).
        TruncationError = 2 * Theta.Zip(Weight, (t, w) => (w / (1 - t)) + 1).Sum() * Math.ScaleB(1.0, -FractionBits);

        var horizon = 1 << log2Horizon;
        var d = Theta.Length;
        var power = Enumerable.Repeat(1.0, d).ToArray();
        var columnSquares = 1.0;
        var buffers = new double[d];
        var previous = 0.0;
        var prefix = 0.0;
        var rowSquares = 0.0;
        CumulativeRowSquares = new double[horizon];
        for (var k = 0; k < horizon; k++)
        {
            if (k > 0)
            {
                var c = 0.0;
                for (var i = 0; i < d; i++)
                {
                    c += Weight[i] * power[i];
                    power[i] *= Theta[i];
                    buffers[i] = (Theta[i] * buffers[i]) + previous;
                }

                columnSquares += c * c;
            }

            // Impulse response of C̃⁻¹ (u), its running sum b = row of B = A·C̃⁻¹, and Σ b².
            var response = k == 0 ? 1.0 : 0.0;
            for (var i = 0; i < d; i++)
            {
                response -= Weight[i] * buffers[i];
            }

            previous = response;
            prefix += response;
            rowSquares += prefix * prefix;
            CumulativeRowSquares[k] = rowSquares;
        }

        // Evaluated in doubles: relative error ≤ T·2^−53 < 1e−9, so pad by 1e−8 for a safe upper bound.
        ColumnNorm = Math.Sqrt(columnSquares) * (1 + 1e-8);
    }

    /// <summary>Θᵢ = round(θᵢ·2^32), in [1, 2^32).</summary>
    public long[] FixedTheta { get; }

    /// <summary>Wᵢ = round(wᵢ·2^32), in [1, 2^32).</summary>
    public long[] FixedWeight { get; }

    /// <summary>θ̃ᵢ as doubles (post-processing only).</summary>
    public double[] Theta { get; }

    /// <summary>w̃ᵢ as doubles (post-processing only).</summary>
    public double[] Weight { get; }

    /// <summary>Upper bound on ‖C̃ e₁‖₂ over the horizon (the maximum column norm).</summary>
    public double ColumnNorm { get; }

    /// <summary>Bound E on |computed − exact| of one encoded coordinate, doubled for neighbouring streams.</summary>
    public double TruncationError { get; }

    /// <summary>Σ_{k≤t} b_k² where b is the Toeplitz column of B = A·C̃⁻¹ (noise variance of output t+1 is σ² times this).</summary>
    public double[] CumulativeRowSquares { get; }

    public static BufferedToeplitzFactorization For(int log2Horizon) =>
        s_cache.GetOrAdd(log2Horizon, static l => new BufferedToeplitzFactorization(l));
}

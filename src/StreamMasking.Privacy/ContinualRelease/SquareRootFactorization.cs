using System.Collections.Concurrent;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>
/// The square-root factorization of the T×T lower-triangular all-ones (prefix-sum) matrix A = C·C, where C is the
/// lower-triangular Toeplitz matrix with c_k = binom(2k, k)/4^k (the Taylor coefficients of (1 − x)^(−1/2); Fichtenberger,
/// Henzinger, Upadhyay 2023; Henzinger, Upadhyay, Upadhyay 2023). Coefficients are shared per horizon.
/// </summary>
/// <remarks>
/// The mechanism releases y = C̃·x + z and outputs C·y, where C̃ is C with coefficients rounded down to
/// <see cref="FractionBits"/> fractional bits so that C̃·x is computed exactly in integers. Its L2 sensitivity for one
/// step changed by Δ is Δ times the norm of C̃'s first column (every column is a truncation of the first).
/// </remarks>
internal sealed class SquareRootFactorization
{
    /// <summary>Fractional bits of the fixed-point coefficients C̃_k = ⌊c_k·2^40⌋.</summary>
    public const int FractionBits = 40;

    private static readonly ConcurrentDictionary<int, SquareRootFactorization> s_cache = new();

    private SquareRootFactorization(int log2Horizon)
    {
        var horizon = 1 << log2Horizon;
        Coefficients = new double[horizon];
        FixedCoefficients = new long[horizon];
        CumulativeSquares = new double[horizon];
        var c = 1.0;
        var sum = 0.0;
        var compensation = 0.0;
        var fixedNorm = 0.0;
        var fixedCompensation = 0.0;
        for (var k = 0; k < horizon; k++)
        {
            Coefficients[k] = c;
            FixedCoefficients[k] = (long)Math.Floor(Math.ScaleB(c, FractionBits));
            NeumaierAdd(ref sum, ref compensation, c * c);
            CumulativeSquares[k] = sum + compensation;
            var f = Math.ScaleB((double)FixedCoefficients[k], -FractionBits);
            NeumaierAdd(ref fixedNorm, ref fixedCompensation, f * f);
            c *= (2.0 * k + 1) / (2.0 * k + 2);
        }

        // Padded upward: the sum of T positive terms with compensation is accurate to a few ulps.
        FixedColumnNorm = Math.Sqrt(fixedNorm + fixedCompensation) * (1 + 1e-12);
    }

    /// <summary>c_0..c_{T−1} (double).</summary>
    public double[] Coefficients { get; }

    /// <summary>⌊c_k·2^40⌋.</summary>
    public long[] FixedCoefficients { get; }

    /// <summary>S_k = Σ_{j≤k} c_j² (so the noise variance of output t is σ²·S_{t−1}).</summary>
    public double[] CumulativeSquares { get; }

    /// <summary>Upper bound on the L2 norm of C̃'s first column = the maximum column norm (sensitivity per unit Δ).</summary>
    public double FixedColumnNorm { get; }

    /// <summary>The L2 norm of C's first column, √(S_{T−1}).</summary>
    public double ColumnNorm => Math.Sqrt(CumulativeSquares[^1]);

    public static SquareRootFactorization For(int log2Horizon) =>
        s_cache.GetOrAdd(log2Horizon, static l => new SquareRootFactorization(l));

    private static void NeumaierAdd(ref double sum, ref double compensation, double value)
    {
        var t = sum + value;
        compensation += Math.Abs(sum) >= Math.Abs(value) ? (sum - t) + value : (value - t) + sum;
        sum = t;
    }
}

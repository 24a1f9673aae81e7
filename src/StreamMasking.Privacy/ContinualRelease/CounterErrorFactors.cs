namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>RMS and maximum over steps t = 1..T of a counter's per-step error factor.</summary>
/// <param name="Rms">√(mean over t of factor_t²).</param>
/// <param name="Max">max over t of factor_t.</param>
internal readonly record struct ErrorFactor(double Rms, double Max);

/// <summary>
/// Exact per-step error factors of the counters, computed from their factorizations (no sampling).
/// </summary>
/// <remarks>
/// Normalization (the one under which the binary tree scores 11.66 and the square-root factorization 4.43 at
/// T = 2^16): factor_t = √Var(output_t) / σ_unit, where σ_unit = Δ/√(2ρ) is the Gaussian noise that a single query
/// of sensitivity Δ needs at the same ρ. For a factorization A = B·C with Gaussian noise calibrated to C this is
/// factor_t = (max column norm of C)·‖row t of B‖₂. For the binary tree with Gaussian noise C has one row per dyadic
/// node (column norm √(L+1)) and row t of B selects popcount(t) nodes. For the tree as implemented (pure ε,
/// Laplace) the natural unit is instead the Laplace noise of a single query, √2·Δ/ε, which gives
/// factor_t = (L+1)·√(Σ relative node variances): <see cref="BinaryTreeLaplace"/>.
/// </remarks>
internal static class CounterErrorFactors
{
    /// <summary>Square-root factorization: ‖c‖₂ · √(Σ_{k&lt;t} c_k²).</summary>
    public static ErrorFactor SquareRoot(int log2Horizon)
    {
        var f = SquareRootFactorization.For(log2Horizon);
        var sensitivity = f.ColumnNorm;
        var horizon = f.CumulativeSquares.Length;
        var mean = 0.0;
        var max = 0.0;
        for (var t = 0; t < horizon; t++)
        {
            mean += f.CumulativeSquares[t] / horizon;
            max = Math.Max(max, f.CumulativeSquares[t]);
        }

        return new ErrorFactor(sensitivity * Math.Sqrt(mean), sensitivity * Math.Sqrt(max));
    }

    /// <summary>Buffered Toeplitz approximation: ‖C̃ e₁‖₂ · √(Σ_{k&lt;t} b_k²) with b the column of A·C̃⁻¹.</summary>
    public static ErrorFactor BufferedToeplitz(int log2Horizon)
    {
        var f = BufferedToeplitzFactorization.For(log2Horizon);
        var rows = f.CumulativeRowSquares;
        var mean = rows.Sum() / rows.Length;
        return new ErrorFactor(f.ColumnNorm * Math.Sqrt(mean), f.ColumnNorm * Math.Sqrt(rows.Max()));
    }

    /// <summary>Binary tree with Gaussian noise per node (zCDP normalization, comparable with <see cref="SquareRoot"/>).</summary>
    public static ErrorFactor BinaryTreeGaussian(int log2Horizon, bool honaker) =>
        Tree(log2Horizon, honaker, Math.Sqrt(log2Horizon + 1));

    /// <summary>Binary tree with Laplace noise per node (pure-ε normalization, as implemented).</summary>
    public static ErrorFactor BinaryTreeLaplace(int log2Horizon, bool honaker) =>
        Tree(log2Horizon, honaker, log2Horizon + 1);

    private static ErrorFactor Tree(int log2Horizon, bool honaker, double sensitivity)
    {
        var relative = HonakerEstimator.RelativeLevelVariances(log2Horizon + 1, honaker);
        var horizon = 1L << log2Horizon;
        var mean = 0.0;
        var max = 0.0;
        for (var t = 1L; t <= horizon; t++)
        {
            var v = HonakerEstimator.RelativePrefixVariance(relative, t);
            mean += v / horizon;
            max = Math.Max(max, v);
        }

        return new ErrorFactor(sensitivity * Math.Sqrt(mean), sensitivity * Math.Sqrt(max));
    }
}

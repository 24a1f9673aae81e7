using System.Globalization;
using StreamMasking.Privacy.ContinualRelease;

namespace StreamMasking.Benchmarks.ContinualRelease;

/// <summary>
/// Prints the exact RMS and maximum per-step error factors of every continual-release counter for T = 2^10 … 2^20
/// (`--counter-table`). Computed from the factorizations, not sampled; see CounterErrorFactors for the normalization.
/// </summary>
public static class CounterErrorTable
{
    public static void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("Per-step error factor = sqrt(Var(output_t)) / sigma_unit, RMS and max over t = 1..T.");
        output.WriteLine("zCDP columns: sigma_unit = Delta/sqrt(2 rho) (Gaussian noise of one sensitivity-Delta query at the same rho).");
        output.WriteLine("Pure-eps columns: sigma_unit = sqrt(2) Delta/eps (Laplace noise of one sensitivity-Delta query at the same eps).");
        output.WriteLine();
        output.WriteLine("| T | sqrt factorization RMS | max | buffered Toeplitz (d=24) RMS | max | tree (Gaussian) RMS | max | tree+Honaker (Gaussian) RMS | max | tree (Laplace, pure ε) RMS | max | tree+Honaker (Laplace, pure ε) RMS | max |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (var log2 = 10; log2 <= 20; log2++)
        {
            var sqrt = CounterErrorFactors.SquareRoot(log2);
            var blt = CounterErrorFactors.BufferedToeplitz(log2);
            var treeGaussian = CounterErrorFactors.BinaryTreeGaussian(log2, honaker: false);
            var honakerGaussian = CounterErrorFactors.BinaryTreeGaussian(log2, honaker: true);
            var treeLaplace = CounterErrorFactors.BinaryTreeLaplace(log2, honaker: false);
            var honakerLaplace = CounterErrorFactors.BinaryTreeLaplace(log2, honaker: true);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| 2^{log2} | {sqrt.Rms:F2} | {sqrt.Max:F2} | {blt.Rms:F2} | {blt.Max:F2} | {treeGaussian.Rms:F2} | {treeGaussian.Max:F2} | {honakerGaussian.Rms:F2} | {honakerGaussian.Max:F2} | {treeLaplace.Rms:F2} | {treeLaplace.Max:F2} | {honakerLaplace.Rms:F2} | {honakerLaplace.Max:F2} |"));
        }
    }
}

using MathNet.Numerics;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// Analytic Gaussian calibration (Balle and Wang 2018, Theorem 8): the smallest σ for which adding N(0, σ²) to a
/// query of L2 sensitivity Δ is (ε, δ)-DP, found by bisection on the exact condition
/// Φ(Δ/(2σ) − εσ/Δ) − e^ε·Φ(−Δ/(2σ) − εσ/Δ) ≤ δ. Valid for every ε &gt; 0, unlike the classic
/// σ = Δ·√(2 ln(1.25/δ))/ε bound, which needs ε &lt; 1 and is always larger.
/// </summary>
public static class AnalyticGaussian
{
    /// <summary>The exact δ of the continuous Gaussian mechanism with standard deviation <paramref name="sigma"/>.</summary>
    public static double Delta(double sigma, double l2Sensitivity, double epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(l2Sensitivity);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        var a = l2Sensitivity / (2 * sigma);
        var b = epsilon * sigma / l2Sensitivity;

        // Φ(x) = erfc(−x/√2)/2 keeps relative accuracy deep in the tails, where δ lives.
        var first = Phi(a - b);
        var second = Math.Exp(epsilon) * Phi(-a - b);
        return double.IsFinite(second) ? Math.Max(0, first - second) : 0;
    }

    /// <summary>The smallest σ (to relative 1e−12, rounded up) with <see cref="Delta"/>(σ) ≤ <paramref name="delta"/>.</summary>
    public static double Sigma(double l2Sensitivity, double epsilon, double delta)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(l2Sensitivity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "Delta must be in (0, 1).");
        }

        // δ(σ) decreases in σ: bracket, then bisect.
        double lower = 0;
        var upper = l2Sensitivity;
        while (Delta(upper, l2Sensitivity, epsilon) > delta)
        {
            lower = upper;
            upper *= 2;
        }

        for (var i = 0; i < 200 && upper - lower > 1e-12 * upper; i++)
        {
            var middle = lower + ((upper - lower) / 2);
            if (middle <= 0 || Delta(middle, l2Sensitivity, epsilon) > delta)
            {
                lower = middle;
            }
            else
            {
                upper = middle;
            }
        }

        return upper;
    }

    /// <summary>The classic bound Δ·√(2 ln(1.25/δ))/ε (Dwork and Roth, Theorem A.1; only valid for ε &lt; 1).</summary>
    public static double ClassicSigma(double l2Sensitivity, double epsilon, double delta) =>
        l2Sensitivity * Math.Sqrt(2 * Math.Log(1.25 / delta)) / epsilon;

    /// <summary>Standard normal CDF.</summary>
    internal static double Phi(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));
}

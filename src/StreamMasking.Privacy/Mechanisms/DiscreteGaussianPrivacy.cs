using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Mechanisms;

/// <summary>
/// (ε, δ) guarantees of the discrete Gaussian N_Z(0, m²) added to an integer query whose values move by at most Δ
/// lattice steps. Canonne, Kamath, Steinke 2020 (Theorem 7) give the exact
/// δ = P[Y &gt; εm²/Δ − Δ/2] − e^ε·P[Y &gt; εm²/Δ + Δ/2]; the discrete tails are bounded here by continuous ones
/// (Σ_{y≥k} e^{−y²/2m²} lies between ∫_k^∞ and ∫_{k−1}^∞, and the normaliser between m√(2π) and
/// m√(2π)(1 + 3e^{−2π²m²})), which gives a rigorous upper bound on δ computable with erfc.
/// </summary>
internal static class DiscreteGaussianPrivacy
{
    /// <summary>An upper bound on δ for one-dimensional shifts of at most <paramref name="sensitivitySteps"/>.</summary>
    public static double DeltaUpperBound(ulong sigmaSteps, ulong sensitivitySteps, double epsilon)
    {
        double m = sigmaSteps;
        double delta = sensitivitySteps;
        var centre = epsilon * m * m / delta;
        var upperTail = TailUpper(Math.Floor(centre - (delta / 2)) + 1, m);
        var lowerTail = TailLower(Math.Floor(centre + (delta / 2)) + 1, m);
        return Math.Max(0, upperTail - (Math.Exp(epsilon) * lowerTail));
    }

    /// <summary>
    /// The smallest whole number of σ steps (searching upward from <paramref name="startSteps"/>) that makes a
    /// one-dimensional shift of <paramref name="sensitivitySteps"/> (ε, δ)-DP.
    /// </summary>
    public static ulong CalibrateScalar(ulong startSteps, ulong sensitivitySteps, Epsilon epsilon, Delta delta)
    {
        var steps = Math.Max(1UL, startSteps);
        for (var i = 0; i < 100_000; i++)
        {
            if (DeltaUpperBound(steps, sensitivitySteps, epsilon.Value) <= delta.Value)
            {
                return steps;
            }

            // The analytic start is within a relative 2^−18 or so of the answer: small steps first, then doubling.
            steps += Math.Max(1UL, (steps >> 20) << (i / 64));
        }

        throw new InvalidOperationException("Discrete Gaussian calibration did not converge.");
    }

    /// <summary>Upper bound on P[Y ≥ k] for Y ~ N_Z(0, m²).</summary>
    private static double TailUpper(double k, double m) =>
        k >= 1 ? Math.Min(1, Phi(-(k - 1) / m) * (1 + 1e-12)) : 1 - TailLower(1 - k, m);

    /// <summary>Lower bound on P[Y ≥ k] for Y ~ N_Z(0, m²).</summary>
    private static double TailLower(double k, double m)
    {
        if (k <= 0)
        {
            return 1 - TailUpper(1 - k, m);
        }

        var normaliserSlack = 1 + (3 * Math.Exp(-2 * Math.PI * Math.PI * m * m));
        return Phi(-k / m) / normaliserSlack * (1 - 1e-12);
    }

    private static double Phi(double x) => AnalyticGaussian.Phi(x);
}

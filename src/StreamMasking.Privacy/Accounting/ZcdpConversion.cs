namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// Conversions from ρ-zCDP to (ε, δ)-DP. Every result is an upper bound on ε (library-function rounding is padded
/// upward), so a reported ε is never optimistic.
/// </summary>
public static class ZcdpConversion
{
    /// <summary>
    /// Bun–Steinke 2016, Proposition 1.3: ρ-zCDP implies (ρ + 2√(ρ·ln(1/δ)), δ)-DP for every δ &gt; 0.
    /// </summary>
    public static Epsilon ToEpsilonStandard(Rho rho, Delta delta)
    {
        RequireOpenUnit(delta);
        var r = rho.Value;
        return new Epsilon(BudgetArithmetic.PadUp(r + (2 * Math.Sqrt(r * Math.Log(1 / delta.Value)))));
    }

    /// <summary>
    /// Canonne–Kamath–Steinke 2020 (Corollary 13, via Rényi DP of order α): ρ-zCDP implies (ε, δ)-DP with
    /// ε = inf over α &gt; 1 of  αρ + [ln(1/δ) + (α − 1)·ln(1 − 1/α) − ln α] / (α − 1).
    /// Any α gives a valid bound, so the numeric minimisation only affects tightness, never soundness.
    /// </summary>
    public static Epsilon ToEpsilonImproved(Rho rho, Delta delta)
    {
        RequireOpenUnit(delta);
        var r = rho.Value;
        if (r == 0)
        {
            return Epsilon.Zero;
        }

        var logInvDelta = Math.Log(1 / delta.Value);

        double Bound(double alpha) =>
            (alpha * r) + ((logInvDelta + ((alpha - 1) * Math.Log(1 - (1 / alpha))) - Math.Log(alpha)) / (alpha - 1));

        // The objective is convex in α on (1, ∞); golden-section search on log(α − 1) over a wide bracket.
        var lo = Math.Log(1e-9);
        var hi = Math.Log(1e9);
        var phi = (Math.Sqrt(5) - 1) / 2;
        for (var i = 0; i < 200; i++)
        {
            var a = hi - (phi * (hi - lo));
            var b = lo + (phi * (hi - lo));
            if (Bound(1 + Math.Exp(a)) < Bound(1 + Math.Exp(b)))
            {
                hi = b;
            }
            else
            {
                lo = a;
            }
        }

        var best = Bound(1 + Math.Exp((lo + hi) / 2));
        var standard = ToEpsilonStandard(rho, delta);
        return !double.IsFinite(best) || best < 0 || best > standard.Value
            ? standard
            : new Epsilon(BudgetArithmetic.PadUp(best));
    }

    /// <summary>The tighter of <see cref="ToEpsilonStandard"/> and <see cref="ToEpsilonImproved"/>.</summary>
    public static Epsilon ToEpsilon(Rho rho, Delta delta) => ToEpsilonImproved(rho, delta);

    /// <summary>
    /// The largest ρ whose standard conversion stays within (ε, δ): solves ρ + 2√(ρ·L) = ε with L = ln(1/δ), i.e.
    /// ρ = (√(L + ε) − √L)². Useful to turn an (ε, δ) budget into a zCDP cap.
    /// </summary>
    public static Rho MaxRhoFor(Epsilon epsilon, Delta delta)
    {
        RequireOpenUnit(delta);
        var l = Math.Log(1 / delta.Value);
        // √(L+ε) − √L written without cancellation.
        var root = epsilon.Value / (Math.Sqrt(l + epsilon.Value) + Math.Sqrt(l));
        // Round down: shave a relative 1e-9 so the (upward-padded) conversion of the result never exceeds ε.
        return new Rho(root * root * (1 - 1e-9));
    }

    private static void RequireOpenUnit(Delta delta)
    {
        if (delta.Value <= 0 || delta.Value >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "Must be in (0, 1).");
        }
    }
}

using System.Globalization;

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// A zero-concentrated differential-privacy parameter ρ (Bun–Steinke 2016): finite and non-negative. zCDP composes
/// additively; addition is checked and rounds toward +∞. <c>default</c> is ρ = 0.
/// </summary>
public readonly record struct Rho : IComparable<Rho>
{
    /// <summary>Creates ρ; throws <see cref="ArgumentOutOfRangeException"/> unless finite and ≥ 0.</summary>
    public Rho(double value) => Value = BudgetArithmetic.Validate(value, nameof(value));

    /// <summary>ρ = 0.</summary>
    public static Rho Zero => default;

    /// <summary>The value of ρ.</summary>
    public double Value { get; }

    public static Rho operator +(Rho left, Rho right) => Add(left, right);

    public static bool operator <(Rho left, Rho right) => left.Value < right.Value;

    public static bool operator >(Rho left, Rho right) => left.Value > right.Value;

    public static bool operator <=(Rho left, Rho right) => left.Value <= right.Value;

    public static bool operator >=(Rho left, Rho right) => left.Value >= right.Value;

    /// <summary>Checked sum, rounded up.</summary>
    public static Rho Add(Rho left, Rho right) => new(BudgetArithmetic.AddRoundUp(left.Value, right.Value));

    /// <summary>Remaining budget <paramref name="cap"/> − <paramref name="spent"/>, rounded down, floored at zero.</summary>
    public static Rho Remaining(Rho cap, Rho spent) =>
        spent.Value >= cap.Value ? Zero : new(BudgetArithmetic.SubtractRoundDown(cap.Value, spent.Value));

    /// <summary>
    /// The ρ-zCDP guarantee implied by pure ε-DP: ρ = ε²/2 (Bun–Steinke 2016, Proposition 1.4), rounded up.
    /// </summary>
    public static Rho FromPureEpsilon(Epsilon epsilon) =>
        new(BudgetArithmetic.MultiplyRoundUp(BudgetArithmetic.MultiplyRoundUp(epsilon.Value, epsilon.Value), 0.5));

    /// <summary>
    /// ρ of the Gaussian mechanism with L2 sensitivity Δ₂ and noise N(0, σ²): ρ = Δ₂² / (2σ²), rounded up.
    /// </summary>
    public static Rho ForGaussian(double l2Sensitivity, double sigma)
    {
        BudgetArithmetic.Validate(l2Sensitivity, nameof(l2Sensitivity));
        if (!double.IsFinite(sigma) || sigma <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Must be finite and positive.");
        }

        var ratio = l2Sensitivity / sigma;
        return new(BudgetArithmetic.PadUp(ratio * ratio / 2));
    }

    public int CompareTo(Rho other) => Value.CompareTo(other.Value);

    public override string ToString() => "ρ=" + Value.ToString("R", CultureInfo.InvariantCulture);
}

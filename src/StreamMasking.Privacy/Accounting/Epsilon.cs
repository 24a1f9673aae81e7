using System.Globalization;

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// A pure differential-privacy loss ε: finite and non-negative. Addition is checked (throws
/// <see cref="OverflowException"/> instead of producing infinity or NaN) and rounds toward +∞, so a composed ε is never
/// understated. <c>default</c> is ε = 0.
/// </summary>
public readonly record struct Epsilon : IComparable<Epsilon>
{
    /// <summary>Creates ε; throws <see cref="ArgumentOutOfRangeException"/> unless finite and ≥ 0.</summary>
    public Epsilon(double value) => Value = BudgetArithmetic.Validate(value, nameof(value));

    /// <summary>ε = 0.</summary>
    public static Epsilon Zero => default;

    /// <summary>The value of ε (natural-log units).</summary>
    public double Value { get; }

    public static Epsilon operator +(Epsilon left, Epsilon right) => Add(left, right);

    public static bool operator <(Epsilon left, Epsilon right) => left.Value < right.Value;

    public static bool operator >(Epsilon left, Epsilon right) => left.Value > right.Value;

    public static bool operator <=(Epsilon left, Epsilon right) => left.Value <= right.Value;

    public static bool operator >=(Epsilon left, Epsilon right) => left.Value >= right.Value;

    /// <summary>Checked sum, rounded up.</summary>
    public static Epsilon Add(Epsilon left, Epsilon right) =>
        new(BudgetArithmetic.AddRoundUp(left.Value, right.Value));

    /// <summary>
    /// Remaining budget <paramref name="cap"/> − <paramref name="spent"/>, rounded down and floored at zero.
    /// </summary>
    public static Epsilon Remaining(Epsilon cap, Epsilon spent) =>
        spent.Value >= cap.Value ? Zero : new(BudgetArithmetic.SubtractRoundDown(cap.Value, spent.Value));

    /// <summary>ε scaled by a non-negative factor (e.g. k-fold composition), rounded up.</summary>
    public Epsilon Scale(double factor) =>
        new(BudgetArithmetic.MultiplyRoundUp(Value, BudgetArithmetic.Validate(factor, nameof(factor))));

    public int CompareTo(Epsilon other) => Value.CompareTo(other.Value);

    public override string ToString() => "ε=" + Value.ToString("R", CultureInfo.InvariantCulture);
}

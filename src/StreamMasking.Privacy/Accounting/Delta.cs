using System.Globalization;

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// The failure probability δ of approximate (ε, δ)-differential privacy: finite and in [0, 1]. Addition is checked:
/// it rounds toward +∞ and throws <see cref="OverflowException"/> when the sum exceeds 1 (a vacuous guarantee is an
/// error, not a value). <c>default</c> is δ = 0.
/// </summary>
public readonly record struct Delta : IComparable<Delta>
{
    /// <summary>Creates δ; throws <see cref="ArgumentOutOfRangeException"/> unless finite and in [0, 1].</summary>
    public Delta(double value) => Value = BudgetArithmetic.Validate(value, nameof(value), 1.0);

    /// <summary>δ = 0.</summary>
    public static Delta Zero => default;

    /// <summary>The probability δ.</summary>
    public double Value { get; }

    public static Delta operator +(Delta left, Delta right) => Add(left, right);

    public static bool operator <(Delta left, Delta right) => left.Value < right.Value;

    public static bool operator >(Delta left, Delta right) => left.Value > right.Value;

    public static bool operator <=(Delta left, Delta right) => left.Value <= right.Value;

    public static bool operator >=(Delta left, Delta right) => left.Value >= right.Value;

    /// <summary>Checked sum, rounded up; throws <see cref="OverflowException"/> if it exceeds 1.</summary>
    public static Delta Add(Delta left, Delta right)
    {
        var sum = BudgetArithmetic.AddRoundUp(left.Value, right.Value);
        if (sum > 1)
        {
            throw new OverflowException("δ sum exceeds 1.");
        }

        return new(sum);
    }

    /// <summary>Remaining budget <paramref name="cap"/> − <paramref name="spent"/>, rounded down, floored at zero.</summary>
    public static Delta Remaining(Delta cap, Delta spent) =>
        spent.Value >= cap.Value ? Zero : new(BudgetArithmetic.SubtractRoundDown(cap.Value, spent.Value));

    public int CompareTo(Delta other) => Value.CompareTo(other.Value);

    public override string ToString() => "δ=" + Value.ToString("R", CultureInfo.InvariantCulture);
}

namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// Directed-rounding arithmetic on non-negative budget quantities. Composed privacy costs are rounded toward
/// +infinity and remaining budgets toward zero, so floating-point rounding can never understate what was spent.
/// </summary>
internal static class BudgetArithmetic
{
    /// <summary>Returns the smallest double that is at least the exact sum a + b (both finite).</summary>
    public static double AddRoundUp(double a, double b)
    {
        var sum = a + b;
        if (double.IsInfinity(sum) || double.IsNaN(sum))
        {
            throw new OverflowException("Privacy budget arithmetic overflowed.");
        }

        // Knuth's TwoSum: sum + error equals a + b exactly.
        var bVirtual = sum - a;
        var aVirtual = sum - bVirtual;
        var error = (a - aVirtual) + (b - bVirtual);
        return error > 0 ? Math.BitIncrement(sum) : sum;
    }

    /// <summary>Returns the largest double that is at most the exact difference a - b (both finite).</summary>
    public static double SubtractRoundDown(double a, double b)
    {
        var difference = a - b;
        if (double.IsInfinity(difference) || double.IsNaN(difference))
        {
            throw new OverflowException("Privacy budget arithmetic overflowed.");
        }

        var bVirtual = a - difference;
        var aVirtual = difference + bVirtual;
        var error = (a - aVirtual) - (b - bVirtual);
        return error < 0 ? Math.BitDecrement(difference) : difference;
    }

    /// <summary>Returns a value at least a * b (both finite, non-negative).</summary>
    public static double MultiplyRoundUp(double a, double b)
    {
        var product = a * b;
        if (double.IsInfinity(product) || double.IsNaN(product))
        {
            throw new OverflowException("Privacy budget arithmetic overflowed.");
        }

        // Fused multiply-add gives the exact rounding error of the product.
        var error = Math.FusedMultiplyAdd(a, b, -product);
        return error > 0 ? Math.BitIncrement(product) : product;
    }

    /// <summary>
    /// Widens a value computed with library functions (sqrt, log, exp: each within a few ulps) to a safe upper bound.
    /// </summary>
    public static double PadUp(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new OverflowException("Privacy budget arithmetic overflowed.");
        }

        return value <= 0 ? value : value * (1 + 1e-12);
    }

    public static double Validate(double value, string parameterName, double max = double.MaxValue)
    {
        if (!double.IsFinite(value) || value < 0 || value > max)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                value,
                max == double.MaxValue ? "Must be finite and non-negative." : $"Must be finite and in [0, {max}].");
        }

        // Normalise -0.0 so equality and serialisation are canonical.
        return value == 0 ? 0.0 : value;
    }
}

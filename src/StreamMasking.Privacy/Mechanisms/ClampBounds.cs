namespace StreamMasking.Privacy.Mechanisms;

/// <summary>Declared value range [<see cref="Lower"/>, <see cref="Upper"/>]; values are clamped into it before any sum.</summary>
public readonly record struct ClampBounds
{
    /// <summary>Creates validated bounds (finite, lower ≤ upper).</summary>
    public ClampBounds(double lower, double upper)
    {
        if (!double.IsFinite(lower) || !double.IsFinite(upper) || lower > upper)
        {
            throw new ArgumentOutOfRangeException(nameof(lower), "Clamp bounds must be finite with lower <= upper.");
        }

        Lower = lower;
        Upper = upper;
    }

    /// <summary>Smallest admissible value.</summary>
    public double Lower { get; }

    /// <summary>Largest admissible value.</summary>
    public double Upper { get; }

    /// <summary>The largest magnitude a clamped value can have: the per-record sensitivity of a sum.</summary>
    public double MaxMagnitude => Math.Max(Math.Abs(Lower), Math.Abs(Upper));

    /// <summary>Midpoint; sums of values centred on it have half the range as per-record sensitivity.</summary>
    public double Midpoint => Lower + ((Upper - Lower) / 2);

    /// <summary>Clamps <paramref name="value"/> into the bounds (NaN is rejected, not silently mapped).</summary>
    public double Clamp(double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "NaN cannot be clamped.");
        }

        return Math.Clamp(value, Lower, Upper);
    }
}

using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Release;

/// <summary>
/// Applies <see cref="ReleasePostProcessing"/> to one noisy value and its interval. Why the interval stays valid: the
/// mechanism's interval [v − h, v + h] covers the true value with the stated level; when the true value is an
/// integer it is also in [⌈v − h⌉, ⌊v + h⌋], and when it is non-negative also in [max(0, ·), max(0, ·)], so the
/// released interval keeps its level. Both steps read only the noisy value and data-independent widths.
/// </summary>
internal static class ReleasePostProcessor
{
    public static (double Value, double Lower, double Upper) Apply(ReleasePostProcessing processing, double value, double lower, double upper)
    {
        if (processing.HasFlag(ReleasePostProcessing.IntegerLattice))
        {
            value = Math.Round(value, MidpointRounding.ToEven);
            lower = Math.Ceiling(lower);
            upper = Math.Floor(upper);
            if (lower > upper)
            {
                // No integer inside a narrow interval: the nearest one is the released value itself.
                (lower, upper) = (value, value);
            }
        }

        if (processing.HasFlag(ReleasePostProcessing.ClampNonNegative))
        {
            value = Math.Max(0, value);
            lower = Math.Max(0, lower);
            upper = Math.Max(0, upper);
        }

        // Canonical zero: "-0" would serialise differently from "0".
        return (value + 0.0, lower + 0.0, upper + 0.0);
    }

    public static ConfidenceInterval Apply(ReleasePostProcessing processing, double value, ConfidenceInterval interval, out double released)
    {
        var (v, lo, hi) = Apply(processing, value, interval.Lower, interval.Upper);
        released = v;
        return new ConfidenceInterval(lo, hi, interval.Level);
    }

    /// <summary>The wire names of <paramref name="processing"/>, in a fixed order (empty for none).</summary>
    public static IReadOnlyList<string> Names(ReleasePostProcessing processing)
    {
        var names = new List<string>(2);
        if (processing.HasFlag(ReleasePostProcessing.IntegerLattice))
        {
            names.Add("integer");
        }

        if (processing.HasFlag(ReleasePostProcessing.ClampNonNegative))
        {
            names.Add("clampNonNegative");
        }

        return names;
    }
}

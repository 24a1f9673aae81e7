using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>
/// Converts window values to whole multiples of the noise lattice g. Counters add and convolve these integers
/// exactly, so the only data-dependent rounding is one monotone rounding per input, which the calibration charges:
/// inputs that differ by Δ become integers that differ by at most ⌈Δ/g⌉.
/// </summary>
internal static class LatticeUnits
{
    public static long FromValue(double value, double granularity)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Counter inputs must be finite.");
        }

        var units = GranularNoise.RoundToLattice(value, granularity) / granularity;
        if (Math.Abs(units) >= 4.6116860184273879E18 /* 2^62 */)
        {
            throw new OverflowException("Counter input too large for the noise lattice.");
        }

        return (long)units;
    }

    /// <summary>⌈Δ/g⌉ as an integer number of lattice steps.</summary>
    public static long Sensitivity(double sensitivity, double granularity)
    {
        var steps = GranularNoise.ChargedSensitivity(sensitivity, granularity) / granularity;
        if (steps >= 9007199254740992.0 /* 2^53 */)
        {
            throw new OverflowException("Sensitivity too large for the noise lattice.");
        }

        return (long)steps;
    }
}

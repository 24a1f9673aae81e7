namespace StreamMasking.Core.Windowing;

/// <summary>
/// Declared post-processing of an aggregate's released values (policy key <c>postProcess</c>). Post-processing is
/// applied to the noisy value only, so it costs no privacy; the released interval is stated for what is released.
/// </summary>
[Flags]
public enum ReleasePostProcessing
{
    /// <summary>The noisy value as drawn (a multiple of the noise lattice).</summary>
    None = 0,

    /// <summary>
    /// <c>integer</c>: rounded to the nearest integer, the interval narrowed to the integers it contains. Always on for
    /// counts and histograms; for sums only when declared (for fields that hold integers).
    /// </summary>
    IntegerLattice = 1,

    /// <summary><c>clampNonNegative</c>: never below 0 (counts, and sums of a field clamped to [0, max]).</summary>
    ClampNonNegative = 2,
}

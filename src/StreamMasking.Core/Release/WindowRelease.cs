using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Release;

/// <summary>
/// One differentially private result of one aggregate for one window (or the continual running total after it),
/// with everything a consumer needs to interpret it. Serialise with <see cref="ReleaseJson"/>.
/// </summary>
public sealed record WindowRelease
{
    /// <summary>Segment name.</summary>
    public required string Segment { get; init; }

    /// <summary>Policy version the release was computed under.</summary>
    public required string PolicyVersion { get; init; }

    /// <summary>Aggregate name.</summary>
    public required string Aggregate { get; init; }

    /// <summary>Aggregate kind.</summary>
    public required AggregateKind Kind { get; init; }

    /// <summary>Whether this is the continual running total (through this window) rather than the window's own value.</summary>
    public bool Continual { get; init; }

    /// <summary>Window index.</summary>
    public required long WindowIndex { get; init; }

    /// <summary>Inclusive window start, Unix ms.</summary>
    public required long WindowStartMs { get; init; }

    /// <summary>Exclusive window end, Unix ms.</summary>
    public required long WindowEndMs { get; init; }

    /// <summary>Mechanism name, e.g. <c>laplace-count</c>.</summary>
    public required string Mechanism { get; init; }

    /// <summary>ε of the release (for zCDP costs: the ε implied at the reporting δ).</summary>
    public required double Epsilon { get; init; }

    /// <summary>δ of the release (0 for pure ε).</summary>
    public required double Delta { get; init; }

    /// <summary>ρ charged under a zCDP accountant; null when charged as (ε, δ).</summary>
    public double? Rho { get; init; }

    /// <summary>Laplace scale or Gaussian σ applied (top-k: score sensitivity; continual: noise standard deviation).</summary>
    public required double NoiseScale { get; init; }

    /// <summary>Noisy value (count, sum, mean, continual total); null for histogram and top-k.</summary>
    public double? Value { get; init; }

    /// <summary>Confidence interval of <see cref="Value"/>; null for histogram (per bin) and top-k.</summary>
    public ConfidenceInterval? Interval { get; init; }

    /// <summary>Noisy bins in domain order (histogram only).</summary>
    public IReadOnlyList<ReleasedBin>? Bins { get; init; }

    /// <summary>Selected keys in selection order (top-k only).</summary>
    public IReadOnlyList<string>? Selected { get; init; }

    /// <summary>Continual counter step (windows fed so far) for a continual total.</summary>
    public long? Step { get; init; }

    /// <summary>Declared post-processing applied to the values and intervals (wire names, e.g. <c>integer</c>); empty for none.</summary>
    public IReadOnlyList<string> PostProcess { get; init; } = [];
}

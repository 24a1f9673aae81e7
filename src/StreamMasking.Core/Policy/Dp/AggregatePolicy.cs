using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Policy.Dp;

/// <summary>One noisy aggregate released for every window of a segment (an entry of <c>aggregates</c>). Validated.</summary>
public sealed record AggregatePolicy
{
    /// <summary>Name, unique within the segment.</summary>
    public required string Name { get; init; }

    /// <summary>The query.</summary>
    public required AggregateQuery Kind { get; init; }

    /// <summary>The field read (all kinds but count); null for count.</summary>
    public FieldPath? Field { get; init; }

    /// <summary>Clamp bounds (sum and mean).</summary>
    public ClampBounds? Clamp { get; init; }

    /// <summary>Declared categories (histogram and top-k); empty otherwise.</summary>
    public IReadOnlyList<string> Domain { get; init; } = [];

    /// <summary>How many categories top-k selects. Default 1.</summary>
    public int K { get; init; } = 1;

    /// <summary>Records one privacy unit may contribute per window (L∞). Default 1.</summary>
    public int MaxContributionsPerUnit { get; init; } = 1;

    /// <summary>Noise family and the (ε, δ) of each window's release.</summary>
    public required NoiseParameters Noise { get; init; }

    /// <summary>Whether the running total across windows is also released (count and sum).</summary>
    public bool Continual { get; init; }

    /// <summary>
    /// Continual aggregates: how many windows of one privacy unit feed the running total (later windows of that unit
    /// are left out of it). The counter's noise is calibrated to one window, so its one-off cost is that of W windows
    /// (group privacy: ε·W, or ρ·W² under zCDP). Default 1.
    /// </summary>
    public int WindowsPerUnit { get; init; } = 1;

    /// <summary>
    /// Declared post-processing of released values (<c>postProcess</c>: <c>integer</c>, <c>clampNonNegative</c>).
    /// Counts and histograms are released on the integer lattice whatever is declared. Default none.
    /// </summary>
    public Windowing.ReleasePostProcessing PostProcess { get; init; }

    /// <summary>The policy keyword of <see cref="Kind"/>.</summary>
    public string KindName => Kind switch
    {
        AggregateQuery.Count => "count",
        AggregateQuery.Sum => "sum",
        AggregateQuery.Mean => "mean",
        AggregateQuery.Histogram => "histogram",
        _ => "top-k",
    };
}

using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Windowing;

/// <summary>One noisy aggregate released for every window of a segment.</summary>
public sealed record AggregateSpec
{
    /// <summary>Name, unique within the segment; part of the release key and the noise label. Required.</summary>
    public required string Name { get; init; }

    /// <summary>The query. Required.</summary>
    public required AggregateKind Kind { get; init; }

    /// <summary>Dotted path of the field read by sum, mean, histogram and top-k (the runtime extracts it). Default none.</summary>
    public string? Field { get; init; }

    /// <summary>Clamp bounds for sum and mean (required for them).</summary>
    public ClampBounds? Clamp { get; init; }

    /// <summary>Declared key domain for histogram and top-k (required for them; data-independent).</summary>
    public IReadOnlyList<string> Domain { get; init; } = [];

    /// <summary>How many keys top-k selects. Default 1.</summary>
    public int K { get; init; } = 1;

    /// <summary>L∞: records one privacy unit may contribute per window (per bin for histograms). Default 1.</summary>
    public int MaxContributionsPerWindow { get; init; } = 1;

    /// <summary>L0: histogram or top-k keys one unit may touch per window. Default 1.</summary>
    public int MaxPartitionsPerUnit { get; init; } = 1;

    /// <summary>
    /// Windows one unit may contribute to over the lifetime of a continual aggregate (further windows ignore it).
    /// Only enforced and charged for continual aggregates. Default 1.
    /// </summary>
    public int MaxWindowsPerUnit { get; init; } = 1;

    /// <summary>Noise family and (ε, δ) of each window's release (top-k uses ε only). Required.</summary>
    public required NoiseParameters Noise { get; init; }

    /// <summary>
    /// Budget of the continual running total (count and sum only): pure ε selects the binary tree with Honaker
    /// estimation, ρ selects the buffered-Toeplitz factorization counter. Null: not continual (default).
    /// </summary>
    public PrivacyCost? Continual { get; init; }

    /// <summary>log2 of the continual counter's first horizon (doubling afterwards). Default 16.</summary>
    public int ContinualLog2Horizon { get; init; } = 16;

    /// <summary>Confidence level of released intervals, in (0, 1). Default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>
    /// Declared post-processing of released values. Counts and histograms are always released on the integer
    /// lattice (<see cref="EffectivePostProcess"/>); <see cref="ReleasePostProcessing.IntegerLattice"/> on a sum declares an
    /// integer field. Default none.
    /// </summary>
    public ReleasePostProcessing PostProcess { get; init; }

    /// <summary>The post-processing actually applied: <see cref="PostProcess"/>, plus integer rounding for counts and histograms.</summary>
    public ReleasePostProcessing EffectivePostProcess =>
        Kind is AggregateKind.Count or AggregateKind.Histogram ? PostProcess | ReleasePostProcessing.IntegerLattice : PostProcess;

    /// <summary>Whether the aggregate also releases a continual running total.</summary>
    public bool IsContinual => Continual is not null;

    /// <summary>Per-window bounds as the core mechanisms take them.</summary>
    public ContributionBounds Bounds => new(MaxPartitionsPerUnit, MaxContributionsPerWindow);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid property.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Name, nameof(Name));
        ArgumentNullException.ThrowIfNull(Noise, nameof(Noise));
        ArgumentNullException.ThrowIfNull(Domain, nameof(Domain));
        Require(Enum.IsDefined(Kind), nameof(Kind), "Unknown aggregate kind.");
        Require(MaxContributionsPerWindow >= 1, nameof(MaxContributionsPerWindow), "Must be at least 1.");
        Require(MaxPartitionsPerUnit >= 1, nameof(MaxPartitionsPerUnit), "Must be at least 1.");
        Require(MaxWindowsPerUnit >= 1, nameof(MaxWindowsPerUnit), "Must be at least 1.");
        Require(ConfidenceLevel is > 0 and < 1, nameof(ConfidenceLevel), "Must be in (0, 1).");
        if (Kind is AggregateKind.Sum or AggregateKind.Mean)
        {
            Require(Clamp is not null, nameof(Clamp), $"{Kind} needs clamp bounds.");
            Require(Kind != AggregateKind.Sum || Clamp!.Value.MaxMagnitude > 0, nameof(Clamp), "Clamp bounds [0, 0] leave nothing to sum.");
            Require(Kind != AggregateKind.Mean || Clamp!.Value.Upper > Clamp.Value.Lower, nameof(Clamp), "A mean needs lower < upper.");
        }

        if (Kind is AggregateKind.Histogram or AggregateKind.TopK)
        {
            Require(Domain.Count > 0, nameof(Domain), $"{Kind} needs a declared domain.");
            Require(Domain.Distinct(StringComparer.Ordinal).Count() == Domain.Count, nameof(Domain), "Domain keys must be unique.");
            Require(Kind != AggregateKind.TopK || (K >= 1 && K <= Domain.Count), nameof(K), "K must be in [1, domain size].");
        }

        if (Kind != AggregateKind.Count)
        {
            Require(!string.IsNullOrEmpty(Field), nameof(Field), $"{Kind} reads a field.");
        }

        if (PostProcess != ReleasePostProcessing.None)
        {
            Require(Kind is AggregateKind.Count or AggregateKind.Sum or AggregateKind.Histogram, nameof(PostProcess), "Post-processing applies to count, sum and histogram.");
            Require(
                !PostProcess.HasFlag(ReleasePostProcessing.ClampNonNegative) || Kind != AggregateKind.Sum || Clamp is { Lower: >= 0 },
                nameof(PostProcess),
                "clampNonNegative on a sum needs clamp bounds with min >= 0.");
            Require(
                !PostProcess.HasFlag(ReleasePostProcessing.IntegerLattice) || Kind != AggregateKind.Sum
                    || (Clamp is { } c && Math.Floor(c.Lower) == c.Lower && Math.Floor(c.Upper) == c.Upper),
                nameof(PostProcess),
                "integer on a sum needs integer clamp bounds.");
        }

        if (Continual is { } continual)
        {
            Require(Kind is AggregateKind.Count or AggregateKind.Sum, nameof(Continual), "Only count and sum support continual release.");
            Require(
                (continual.Kind == PrivacyCostKind.PureDp && continual.Epsilon.Value > 0)
                || (continual.Kind == PrivacyCostKind.Zcdp && continual.Rho.Value > 0),
                nameof(Continual),
                "A continual budget is a positive pure ε or a positive ρ.");
            Require(ContinualLog2Horizon is >= 0 and <= 20, nameof(ContinualLog2Horizon), "Must be in [0, 20].");
        }
    }

    /// <summary>Index of <paramref name="key"/> in <see cref="Domain"/>, −1 when outside (ordinal comparison).</summary>
    public int DomainIndexOf(string key)
    {
        for (var i = 0; i < Domain.Count; i++)
        {
            if (string.Equals(Domain[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static void Require(bool condition, string property, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message, property);
        }
    }
}

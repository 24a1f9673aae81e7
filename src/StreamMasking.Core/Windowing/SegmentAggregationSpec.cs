using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Windowing;

/// <summary>Everything the window engine and the releaser need about one segment under one policy version.</summary>
public sealed record SegmentAggregationSpec
{
    /// <summary>Segment name (output subject, part of every noise label). Required.</summary>
    public required string Segment { get; init; }

    /// <summary>Policy version (part of every release key and noise label). Required.</summary>
    public required string PolicyVersion { get; init; }

    /// <summary>Window shape. Required.</summary>
    public required WindowSpec Window { get; init; }

    /// <summary>Aggregates in declared order (the order of inputs given to the engine). Required, non-empty.</summary>
    public required IReadOnlyList<AggregateSpec> Aggregates { get; init; }

    /// <summary>
    /// Dotted path of the privacy-unit field (e.g. <c>patient.id</c>) whose contributions are bounded; null bounds
    /// per event (every record is its own unit). Default null.
    /// </summary>
    public string? PrivacyUnit { get; init; }

    /// <summary>
    /// The canonical hash of the spec's DP content (<see cref="Policy.Identity.PolicyContentHash"/>): every noise label,
    /// release key, counter and persisted engine or ledger state of the segment is bound to it, never to
    /// <see cref="PolicyVersion"/>. Computed on each read (the record may be copied with <c>with</c>).
    /// </summary>
    public string ContentHash => Policy.Identity.PolicyContentHash.Of(this);

    /// <summary>Budget caps and accountant. Required.</summary>
    public required BudgetSpec Budget { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> describing the first problem.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Segment, nameof(Segment));
        ArgumentException.ThrowIfNullOrEmpty(PolicyVersion, nameof(PolicyVersion));
        ArgumentNullException.ThrowIfNull(Window, nameof(Window));
        ArgumentNullException.ThrowIfNull(Budget, nameof(Budget));
        ArgumentNullException.ThrowIfNull(Aggregates, nameof(Aggregates));
        if (Aggregates.Count == 0)
        {
            throw new ArgumentException("At least one aggregate is required.", nameof(Aggregates));
        }

        foreach (var aggregate in Aggregates)
        {
            aggregate.Validate();
            if (Budget.Accountant == AccountantKind.Zcdp && aggregate.Kind == AggregateKind.Mean && aggregate.Noise.Kind == NoiseKind.Gaussian)
            {
                // The mean's two Gaussian halves are calibrated in (ε, δ); their ρ is not exposed, so zCDP cannot charge them.
                throw new ArgumentException($"Aggregate {aggregate.Name}: a Gaussian mean needs the basic accountant (or Laplace noise).", nameof(Aggregates));
            }

            if (aggregate.Continual is { Kind: PrivacyCostKind.Zcdp } && Budget.Accountant != AccountantKind.Zcdp)
            {
                throw new ArgumentException($"Aggregate {aggregate.Name}: a ρ continual budget needs the zCDP accountant.", nameof(Aggregates));
            }
        }

        if (Aggregates.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count() != Aggregates.Count)
        {
            throw new ArgumentException("Aggregate names must be unique within a segment.", nameof(Aggregates));
        }

        var accountant = Budget.CreateAccountant();
        accountant.ValidateCap(Budget.WindowCap);
        accountant.ValidateCap(Budget.LifetimeCap);
    }
}

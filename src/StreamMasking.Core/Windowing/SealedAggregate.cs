namespace StreamMasking.Core.Windowing;

/// <summary>The final, exact (pre-noise) state of one aggregate in one closed window.</summary>
/// <param name="Name">Aggregate name.</param>
/// <param name="Kind">Aggregate kind.</param>
/// <param name="Count">Records counted (count) or values aggregated (sum, mean).</param>
/// <param name="Sum">Sum of clamped values (sum, mean); 0 otherwise.</param>
/// <param name="Bins">Counts per declared domain key, in domain order (histogram, top-k); empty otherwise.</param>
/// <param name="CappedContributions">Records ignored because their unit reached a contribution cap.</param>
public sealed record SealedAggregate(
    string Name,
    AggregateKind Kind,
    long Count,
    double Sum,
    IReadOnlyList<long> Bins,
    long CappedContributions);

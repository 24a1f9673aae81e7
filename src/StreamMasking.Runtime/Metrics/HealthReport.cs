namespace StreamMasking.Runtime.Metrics;

/// <summary>A liveness or readiness verdict with the reasons when it is negative.</summary>
/// <param name="Ok">Healthy (liveness) or ready (readiness).</param>
/// <param name="Reasons">Why not, one line each (empty when <paramref name="Ok"/>).</param>
/// <param name="AssignedPartitions">Partitions assigned per stage.</param>
public sealed record HealthReport(bool Ok, IReadOnlyList<string> Reasons, IReadOnlyDictionary<string, int> AssignedPartitions);

using StreamMasking.Core.Policy.Dp;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Reporting;

/// <summary>
/// The worst-case privacy loss of one privacy unit in one segment: per window and over the lifetime. A null bound is
/// unbounded, and <see cref="Notes"/> says why (no unit declared, or event-level noise without a <c>privacyUnit.lifetime</c> cap).
/// Costs are composed with the segment's accountant (basic when it declares no budget).
/// </summary>
/// <param name="Segment">Segment name.</param>
/// <param name="Accountant">Accountant keyword used for composition.</param>
/// <param name="ReportingDelta">δ at which ρ totals are shown as ε (zCDP), else 0.</param>
/// <param name="Fields">Event-level noised fields and their per-event cost.</param>
/// <param name="Aggregates">Declared aggregates and their per-window cost.</param>
/// <param name="PerEvent">Composed cost of all noised fields of one event.</param>
/// <param name="PerWindow">Worst case per unit per window, or null when unbounded.</param>
/// <param name="Lifetime">Worst case per unit over the lifetime, or null when unbounded.</param>
/// <param name="Notes">Explanations, one line each.</param>
public sealed record PrivacyRiskMap(
    string Segment,
    string Accountant,
    Delta ReportingDelta,
    IReadOnlyList<FieldRisk> Fields,
    IReadOnlyList<AggregateRisk> Aggregates,
    ComposedCost PerEvent,
    ComposedCost? PerWindow,
    ComposedCost? Lifetime,
    IReadOnlyList<string> Notes)
{
    /// <summary>Whether the segment declares any DP (noised fields or aggregates).</summary>
    public bool HasDifferentialPrivacy => Fields.Count > 0 || Aggregates.Count > 0;
}

namespace StreamMasking.Core.Policy.Reporting;

/// <summary>
/// One privacy unit field's loss over every segment that declares it: a person's events can reach each of them, so
/// their losses add (basic composition of each segment's (ε, δ); zCDP totals converted at the segment's δ).
/// </summary>
/// <param name="UnitField">The privacy unit's field path.</param>
/// <param name="Segments">Segments declaring this unit, in declared order.</param>
/// <param name="PerWindow">Σ over one window of each segment, or null when unbounded.</param>
/// <param name="Lifetime">Σ over the lifetime, or null when unbounded.</param>
/// <param name="Uncovered">DP segments that name the field in a field rule but declare no (or another) privacy unit:
/// the unit's events reach them unbounded, so over every segment it can appear in the loss is unbounded.</param>
public sealed record UnitComposition(
    string UnitField,
    IReadOnlyList<string> Segments,
    (double Epsilon, double Delta)? PerWindow,
    (double Epsilon, double Delta)? Lifetime,
    IReadOnlyList<string> Uncovered)
{
    /// <summary>Whether the totals cover every segment the unit can appear in.</summary>
    public bool CoversEverySegment => Uncovered.Count == 0;
}

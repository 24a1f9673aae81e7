using StreamMasking.Core.Windowing;

namespace StreamMasking.Core.Release;

/// <summary>
/// The fail-closed restore rule of a segment's continual totals. A counter's identity may be used for one sequence
/// of prefix sums only, so totals are never silently restarted under an identity that may already have released:
/// lost or unreadable state of a started counter stops its releases until an operator explicitly starts a new
/// incarnation (which is charged anew and has independent noise); a change of spec content is a policy transition
/// and starts new counters.
/// </summary>
public static class ContinualRestore
{
    /// <summary>Restores (or creates) the totals of <paramref name="spec"/>.</summary>
    /// <param name="spec">The segment spec now in force.</param>
    /// <param name="noiseKey">Master noise key (secret).</param>
    /// <param name="state">The persisted totals, or null when the store has none.</param>
    /// <param name="everStarted">Whether the store records that a counter of this segment started (kept apart from
    /// <paramref name="state"/>, so losing one does not hide the other).</param>
    /// <param name="startNewIncarnation">The operator's explicit instruction to start new counters for lost ones.</param>
    /// <param name="owner">The state owner (input partition) the counters belong to; part of their identity.</param>
    public static (ContinualTotals Totals, ContinualRestoreOutcome Outcome) Restore(
        SegmentAggregationSpec spec, ReadOnlySpan<byte> noiseKey, byte[]? state, bool everStarted, bool startNewIncarnation, string owner = "")
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(owner);
        if (state is null)
        {
            return everStarted ? LostOr(spec, noiseKey, startNewIncarnation, owner) : (new ContinualTotals(spec, noiseKey, owner), ContinualRestoreOutcome.Fresh);
        }

        (byte Version, string Segment, string Binding) header;
        try
        {
            header = ContinualTotalsReader.ReadHeader(state);
        }
        catch (FormatException)
        {
            return LostOr(spec, noiseKey, startNewIncarnation, owner);
        }

        // v1 counters were keyed by the policy version under an older label domain: new identities cannot collide.
        if (header.Segment == spec.Segment && (header.Version == 1 || (header.Version == ContinualTotals.Version && header.Binding != spec.ContentHash)))
        {
            return (new ContinualTotals(spec, noiseKey, owner), ContinualRestoreOutcome.Transition);
        }

        try
        {
            var totals = ContinualTotals.FromBytes(spec, noiseKey, state, owner);
            return totals.IsLost ? LostOr(spec, noiseKey, startNewIncarnation, owner) : (totals, ContinualRestoreOutcome.Restored);
        }
        catch (FormatException)
        {
            return LostOr(spec, noiseKey, startNewIncarnation, owner);
        }
    }

    private static (ContinualTotals, ContinualRestoreOutcome) LostOr(
        SegmentAggregationSpec spec, ReadOnlySpan<byte> noiseKey, bool startNew, string owner) =>
        startNew
            ? (new ContinualTotals(spec, noiseKey, owner), ContinualRestoreOutcome.NewIncarnation)
            : (new ContinualTotals(spec, noiseKey, owner) { IsLost = true }, ContinualRestoreOutcome.Lost);
}

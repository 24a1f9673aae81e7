using System.Collections.Frozen;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Stages;

/// <summary>
/// Before each commit: one dead-letter summary when the transaction dead-lettered records, and one drop summary per
/// segment that deliberately dropped records for a public reason or published them without their noised fields.
/// Counts only, never record contents.
/// </summary>
/// <remarks>
/// Drops decided by DP state — a unit over its per-window cap (<c>unit_cap_exceeded</c>), a record of a closed
/// window (<c>late_record</c>) — are counted from exact per-unit and timing data that never leaves otherwise (the
/// records are not published). Publishing those counts would release exact statistics without noise, so they stay
/// in the instance's metrics only. What remains is already visible on the output topics: replayed records
/// (<c>already_processed</c>) were published before, and a stripped record is on the masked topic without its noised
/// fields.
/// </remarks>
internal sealed class TransactionSummaryAuditor(AuditEventWriter audit) : ITransactionAuditor
{
    /// <summary>Drop reasons counted from exact DP state: metrics only, never the audit topic.</summary>
    internal static readonly FrozenSet<string> PrivateDropReasons = FrozenSet.Create(StringComparer.Ordinal, "unit_cap_exceeded", "late_record");

    public IEnumerable<OutputRecord> Summarize(string stage, TransactionTally tally)
    {
        if (tally.DeadLettered > 0)
        {
            yield return audit.DeadLetterSummary(stage, tally.DeadLetteredByReason, tally.DeadLetteredBySegment);
        }

        var published = tally.DroppedBySegment.Where(kv => !PrivateDropReasons.Contains(kv.Key.Reason)).ToList();
        var segments = published.Select(kv => kv.Key.Segment).Concat(tally.StrippedBySegment.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            var dropped = published.Where(kv => kv.Key.Segment == segment)
                .ToDictionary(kv => kv.Key.Reason, kv => kv.Value, StringComparer.Ordinal);
            yield return audit.RecordsDropped(stage, segment, dropped, tally.StrippedBySegment.GetValueOrDefault(segment));
        }
    }
}

using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Pipeline;

/// <summary>
/// Before each commit: one dead-letter summary when the transaction dead-lettered records, and one drop summary per
/// segment that deliberately dropped records or published them without their noised fields. Counts only, never
/// record contents.
/// </summary>
internal sealed class TransactionSummaryAuditor(AuditEventFactory audit) : ITransactionAuditor
{
    public IEnumerable<OutputRecord> Summarize(string stage, TransactionTally tally)
    {
        if (tally.DeadLettered > 0)
        {
            yield return audit.DeadLetterSummary(stage, tally.DeadLetteredByReason, tally.DeadLetteredBySegment);
        }

        var segments = tally.DroppedBySegment.Keys.Select(k => k.Segment).Concat(tally.StrippedBySegment.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            var dropped = tally.DroppedBySegment.Where(kv => kv.Key.Segment == segment)
                .ToDictionary(kv => kv.Key.Reason, kv => kv.Value, StringComparer.Ordinal);
            yield return audit.RecordsDropped(stage, segment, dropped, tally.StrippedBySegment.GetValueOrDefault(segment));
        }
    }
}

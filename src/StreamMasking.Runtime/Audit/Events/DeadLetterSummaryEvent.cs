using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Audit.Events;

/// <summary>The <see cref="AuditEventTypes.DeadLetterSummary"/> event.</summary>
internal static class DeadLetterSummaryEvent
{
    /// <summary>
    /// One per committed transaction that dead-lettered records. Subject: the stage. Data: stage, total
    /// (Σ <paramref name="byReason"/>), byReason (reason code → count), bySegment (segment name or "" → count).
    /// Random id.
    /// </summary>
    /// <exception cref="ArgumentException">A count is negative or a key is null.</exception>
    internal static OutputRecord DeadLetterSummary(this AuditEventWriter writer, string stage,
        IReadOnlyDictionary<string, long> byReason, IReadOnlyDictionary<string, long> bySegment)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentNullException.ThrowIfNull(byReason);
        ArgumentNullException.ThrowIfNull(bySegment);
        var total = AuditJson.Total(byReason, nameof(byReason));
        return writer.Build(AuditEventTypes.DeadLetterSummary, AuditEventWriter.RandomId(), stage, segment: null, json =>
        {
            json.WriteString("stage", stage);
            json.WriteNumber("total", total);
            AuditJson.WriteCounts(json, "byReason", byReason, nameof(byReason));
            AuditJson.WriteCounts(json, "bySegment", bySegment, nameof(bySegment));
        });
    }
}

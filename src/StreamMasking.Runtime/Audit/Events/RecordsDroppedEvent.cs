using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Audit.Events;

/// <summary>The <see cref="AuditEventTypes.RecordsDropped"/> event.</summary>
internal static class RecordsDroppedEvent
{
    /// <summary>
    /// One per committed transaction and segment that deliberately dropped records for a public reason
    /// (<c>already_processed</c>; never the counts of drops decided by DP state, see
    /// <c>TransactionSummaryAuditor</c>) or published events without their noised fields. Subject: the segment. Data: stage,
    /// segment, dropped (reason code → count), totalDropped, strippedOverCap. Random id.
    /// </summary>
    /// <exception cref="ArgumentException">A count is negative or a key is null.</exception>
    internal static OutputRecord RecordsDropped(this AuditEventWriter writer, string stage, string segment,
        IReadOnlyDictionary<string, long> droppedByReason, long strippedOverCap)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentException.ThrowIfNullOrEmpty(segment);
        ArgumentNullException.ThrowIfNull(droppedByReason);
        ArgumentOutOfRangeException.ThrowIfNegative(strippedOverCap);
        var total = AuditJson.Total(droppedByReason, nameof(droppedByReason));
        return writer.Build(AuditEventTypes.RecordsDropped, AuditEventWriter.RandomId(), segment, segment, json =>
        {
            json.WriteString("stage", stage);
            json.WriteString("segment", segment);
            AuditJson.WriteCounts(json, "dropped", droppedByReason, nameof(droppedByReason));
            json.WriteNumber("totalDropped", total);
            json.WriteNumber("strippedOverCap", strippedOverCap);
        });
    }
}

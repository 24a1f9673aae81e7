using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Audit.Events;

/// <summary>The <see cref="AuditEventTypes.UnitLifetimeExhausted"/> event.</summary>
internal static class UnitLifetimeExhaustedEvent
{
    /// <summary>
    /// A privacy unit of <paramref name="segment"/> has spent its lifetime cap for event-level noise
    /// (<c>event_lifetime_spent</c>), or the partition's lifetime ledger is missing although the segment has state
    /// there (<c>event_lifetime_state_lost</c>, every unit then withheld): from now on the records go out without their
    /// noised fields. Subject: the segment. Data: stage, segment, partition, reason, the cap. No unit id, not even a
    /// digest: the event says that one more unit is withheld, never which one. Random id.
    /// </summary>
    internal static OutputRecord UnitLifetimeExhausted(this AuditEventWriter writer, string stage, string segment, int partition,
        string reason, PrivacyCost cap)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentException.ThrowIfNullOrEmpty(segment);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return writer.Build(AuditEventTypes.UnitLifetimeExhausted, AuditEventWriter.RandomId(), segment, segment, json =>
        {
            json.WriteString("stage", stage);
            json.WriteString("segment", segment);
            json.WriteNumber("partition", partition);
            json.WriteString("reason", reason);
            AuditJson.WriteCost(json, "lifetimeCap", cap);
        });
    }
}

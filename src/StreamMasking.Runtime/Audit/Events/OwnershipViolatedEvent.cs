using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Audit.Events;

/// <summary>The <see cref="AuditEventTypes.OwnershipViolated"/> event.</summary>
internal static class OwnershipViolatedEvent
{
    /// <summary>
    /// The stage stopped because the DP state's ownership invariant broke (see <c>StateOwnership</c>). Subject: the
    /// segment, else the topic. Data: stage, topic, segment (when known), partition, reason code and the stop message
    /// (topic, segment and partition numbers only). Random id.
    /// </summary>
    internal static OutputRecord OwnershipViolated(this AuditEventWriter writer, string stage, string topic, string? segment,
        int partition, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentNullException.ThrowIfNull(message);
        return writer.Build(AuditEventTypes.OwnershipViolated, AuditEventWriter.RandomId(), segment ?? topic, segment, json =>
        {
            json.WriteString("stage", stage);
            json.WriteString("topic", topic);
            if (segment is not null)
            {
                json.WriteString("segment", segment);
            }

            json.WriteNumber("partition", partition);
            json.WriteString("reason", reason);
            json.WriteString("message", message);
        });
    }
}

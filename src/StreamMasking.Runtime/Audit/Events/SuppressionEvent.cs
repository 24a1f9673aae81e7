using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Audit.Events;

/// <summary>The <see cref="AuditEventTypes.Suppression"/> event.</summary>
internal static class SuppressionEvent
{
    /// <summary>
    /// A release was refused and nothing was emitted. Data: segment, policy version, reason (stable snake_case code,
    /// see <see cref="AuditCodes.SuppressionCode"/>), aggregate, continual, window and release key. Deterministic id.
    /// </summary>
    /// <exception cref="ArgumentException">The outcome is not <see cref="ReleaseOutcome.Suppressed"/> with a
    /// reason, or <paramref name="window"/> is not the outcome's window.</exception>
    internal static OutputRecord Suppression(this AuditEventWriter writer, AggregateReleaseResult outcome, SealedWindow window, string policyVersion)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentException.ThrowIfNullOrEmpty(policyVersion);
        if (outcome.Kind != ReleaseOutcome.Suppressed || outcome.Reason == SuppressionReason.None || !Enum.IsDefined(outcome.Reason))
        {
            throw new ArgumentException("Only a suppressed outcome with a reason has a suppression event.", nameof(outcome));
        }

        if (outcome.Key.Window != window.WindowIndex)
        {
            throw new ArgumentException("The sealed window is not the outcome's window.", nameof(window));
        }

        var segment = window.Segment;
        var reason = AuditCodes.SuppressionCode(outcome.Reason);
        var releaseKey = outcome.Key.ToString();
        var id = AuditEventWriter.DeterministicId(AuditEventTypes.Suppression, segment, policyVersion, releaseKey);
        return writer.Build(AuditEventTypes.Suppression, id, segment, segment, json =>
        {
            json.WriteString("segment", segment);
            json.WriteString("policyVersion", policyVersion);
            json.WriteString("reason", reason);
            json.WriteString("aggregate", outcome.Aggregate);
            json.WriteBoolean("continual", outcome.Continual);
            AuditJson.WriteWindow(json, window.WindowIndex, window.StartMs, window.EndMs);
            json.WriteString("releaseKey", releaseKey);
        });
    }
}

using System.Security.Cryptography;
using StreamMasking.Core.Release;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Audit.Events;

/// <summary>The <see cref="AuditEventTypes.Release"/> event.</summary>
internal static class ReleaseEvent
{
    /// <summary>
    /// A release was paid and its payload goes to the aggregates topic. Data: segment, policy version, aggregate,
    /// kind, continual (and step), window, mechanism, ε, δ, ρ (zCDP), noise scale, release key and
    /// <c>payloadSha256</c> (lowercase hex SHA-256 of <paramref name="published"/>). Never the value,
    /// interval, bins, selected keys or noise. Deterministic id.
    /// </summary>
    /// <param name="writer">The audit writer.</param>
    /// <param name="outcome">The released outcome.</param>
    /// <param name="published">The value produced to the aggregates topic for it; the default is
    /// <see cref="AggregateReleaseResult.Payload"/> (the value when the topic is JSON).</param>
    /// <exception cref="ArgumentException">The outcome is not <see cref="ReleaseOutcome.Released"/> or lacks its release or payload.</exception>
    internal static OutputRecord Release(this AuditEventWriter writer, AggregateReleaseResult outcome, byte[]? published = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Kind != ReleaseOutcome.Released || outcome.Release is null || outcome.Payload is null)
        {
            throw new ArgumentException("Only a released outcome (with its release and payload) has a release event.", nameof(outcome));
        }

        var release = outcome.Release;
        var releaseKey = outcome.Key.ToString();
        var id = AuditEventWriter.DeterministicId(AuditEventTypes.Release, release.Segment, release.PolicyVersion, releaseKey);
        var payloadSha256 = Convert.ToHexStringLower(SHA256.HashData(published ?? outcome.Payload));
        return writer.Build(AuditEventTypes.Release, id, release.Segment, release.Segment, json =>
        {
            json.WriteString("segment", release.Segment);
            json.WriteString("policyVersion", release.PolicyVersion);
            json.WriteString("aggregate", release.Aggregate);
            json.WriteString("kind", ReleaseJson.KindName(release.Kind));
            json.WriteBoolean("continual", release.Continual);
            if (release.Step is { } step)
            {
                json.WriteNumber("step", step);
            }

            AuditJson.WriteWindow(json, release.WindowIndex, release.WindowStartMs, release.WindowEndMs);
            json.WriteString("mechanism", release.Mechanism);
            AuditJson.WriteDouble(json, "epsilon", release.Epsilon);
            AuditJson.WriteDouble(json, "delta", release.Delta);
            if (release.Rho is { } rho)
            {
                AuditJson.WriteDouble(json, "rho", rho);
            }

            AuditJson.WriteDouble(json, "noiseScale", release.NoiseScale);
            json.WriteString("releaseKey", releaseKey);
            json.WriteString("payloadSha256", payloadSha256);
        });
    }
}

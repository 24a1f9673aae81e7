using System.Text.Json;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Identity;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Audit.Events;

/// <summary>The <see cref="AuditEventTypes.PolicyLoaded"/> event.</summary>
internal static class PolicyLoadedEvent
{
    /// <summary>
    /// A policy was loaded by <paramref name="stage"/>. Data: policy version and source name, the stage, and per
    /// segment its name, masked topic, privacy unit (field name, per-window event cap, over-cap behaviour), window
    /// (size, grace, idle close in ms), budget (accountant, per-window and lifetime caps, accountant δ) and aggregates
    /// (name, kind, noise, ε, δ, continual), and the segment's DP content hashes. No subject; a random id.
    /// </summary>
    internal static OutputRecord PolicyLoaded(this AuditEventWriter writer, PrivacyPolicy policy, string stage)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        return writer.Build(AuditEventTypes.PolicyLoaded, AuditEventWriter.RandomId(), subject: null, segment: null, json =>
        {
            json.WriteString("policyVersion", policy.Version);
            json.WriteString("policySource", policy.SourceName);
            json.WriteString("stage", stage);
            json.WriteStartArray("segments");
            foreach (var segment in policy.Segments)
            {
                WriteSegmentSummary(json, segment);
            }

            json.WriteEndArray();
        });
    }

    private static void WriteSegmentSummary(Utf8JsonWriter json, SegmentPolicy segment)
    {
        json.WriteStartObject();
        json.WriteString("name", segment.Name);
        json.WriteString("maskedTopic", segment.MaskedTopic);

        // The content hashes every noise identity and persisted DP state of the segment is bound to: a change between
        // two policy-loaded events is the audited policy transition (new identities; counters start anew).
        json.WriteString("contentHash", PolicyContentHash.Of(segment));
        if (AggregationSpecMapper.Map(segment, "content") is { } spec)
        {
            json.WriteString("aggregationContentHash", spec.ContentHash);
        }

        var privacy = segment.Privacy;
        if (privacy.Unit is { } unit)
        {
            json.WriteStartObject("privacyUnit");
            json.WriteString("field", unit.Field.Text);
            json.WriteNumber("maxEventsPerWindow", unit.MaxEventsPerWindow);
            json.WriteString("overCap", AuditCodes.OverCapName(unit.OverCap));
            if (unit.EventLifetime is { } lifetime)
            {
                AuditJson.WriteCost(json, "lifetime", lifetime);
            }

            json.WriteEndObject();
        }

        if (privacy.Window is { } window)
        {
            json.WriteStartObject("window");
            json.WriteNumber("sizeMs", (long)window.Size.TotalMilliseconds);
            json.WriteNumber("graceMs", (long)window.Grace.TotalMilliseconds);
            if (window.IdleClose is { } idle)
            {
                json.WriteNumber("idleCloseMs", (long)idle.TotalMilliseconds);
            }

            json.WriteEndObject();
        }

        if (privacy.Budget is { } budget)
        {
            json.WriteStartObject("budget");
            json.WriteString("accountant", AuditCodes.AccountantName(budget.Accountant));
            AuditJson.WriteCost(json, "perWindow", budget.PerWindow);
            AuditJson.WriteCost(json, "lifetime", budget.Lifetime);
            AuditJson.WriteDouble(json, "accountantDelta", budget.Parameter.Value);
            json.WriteEndObject();
        }

        json.WriteStartArray("aggregates");
        foreach (var aggregate in privacy.Aggregates)
        {
            json.WriteStartObject();
            json.WriteString("name", aggregate.Name);
            json.WriteString("kind", aggregate.KindName);
            json.WriteString("noise", AuditCodes.NoiseName(aggregate.Noise.Kind));
            AuditJson.WriteDouble(json, "epsilon", aggregate.Noise.Epsilon.Value);
            AuditJson.WriteDouble(json, "delta", aggregate.Noise.Delta.Value);
            json.WriteBoolean("continual", aggregate.Continual);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}

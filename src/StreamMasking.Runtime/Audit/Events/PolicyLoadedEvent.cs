using System.Buffers;
using System.Text.Json;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Identity;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Audit.Events;

/// <summary>The <see cref="AuditEventTypes.PolicyLoaded"/> event, in one or more parts of bounded size.</summary>
/// <remarks>
/// One record listing every segment outgrows the broker's <c>message.max.bytes</c> (1 MB by default) at a few thousand
/// segments, and the stage could then never start. So the segments are cut into parts: each part is a complete event of
/// its own (own random id, every policy-level field) with the segments of one contiguous run in declared order, and
/// all parts of one load share <c>loadId</c> and are numbered <c>part</c> 1 … <c>parts</c>.
/// </remarks>
internal static class PolicyLoadedEvent
{
    /// <summary>
    /// The UTF-8 JSON size of a part's <c>data</c> object (256 KiB) beyond which no further segment is added to the
    /// part. A part whose only segment is larger than this still goes out, alone.
    /// </summary>
    internal const int PartBytes = 256 * 1024;

    /// <summary>
    /// The largest <c>data</c> object of a part holding a single segment (900 KiB): a segment whose description would
    /// exceed it is refused at start (<see cref="OversizedSegments"/>), as the record would exceed the broker's default
    /// <c>message.max.bytes</c> of 1 MB once wrapped in its envelope.
    /// </summary>
    internal const int MaxPartBytes = 900 * 1024;

    // The widest the part fields can be, so the measured header is an upper bound for every part.
    private const string WidestLoadId = "ffffffffffffffffffffffffffffffff";

    // The "segments" member around the summaries, empty.
    private static readonly int SegmentsArrayBytes = "\"segments\":[]".Length;

    /// <summary>
    /// A policy was loaded by <paramref name="stage"/>, as one or more records to send in one transaction. Data of
    /// each: policy version and source name, the stage, the load id shared by all parts, the part number (from 1) and
    /// the number of parts, and the part's segments, per segment its name, masked topic, privacy unit (field name,
    /// per-window event cap, over-cap behaviour), window (size, grace, idle close in ms), budget (accountant,
    /// per-window and lifetime caps, accountant δ) and aggregates (name, kind, noise, ε, δ, continual), and the
    /// segment's DP content hashes. No subject; a random id per part. Segments are in declared order, part after part;
    /// a part holds segments while its data stays within <see cref="PartBytes"/> (a policy without segments gives one
    /// part with none).
    /// </summary>
    /// <exception cref="ArgumentException">A segment's description alone exceeds <see cref="MaxPartBytes"/>.</exception>
    internal static IReadOnlyList<OutputRecord> PolicyLoaded(this AuditEventWriter writer, PrivacyPolicy policy, string stage)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        var summaries = new byte[policy.Segments.Count][];
        for (var i = 0; i < summaries.Length; i++)
        {
            summaries[i] = SegmentSummary(policy.Segments[i]);
        }

        var header = HeaderBytes(policy, stage);
        for (var i = 0; i < summaries.Length; i++)
        {
            if (header + summaries[i].Length > MaxPartBytes)
            {
                throw new ArgumentException(
                    $"Segment '{policy.Segments[i].Name}' is too large for one policy-loaded audit event ({header + summaries[i].Length} bytes, at most {MaxPartBytes}).",
                    nameof(policy));
            }
        }

        var cuts = Split(header, summaries);
        var loadId = AuditEventWriter.RandomId();
        var records = new OutputRecord[cuts.Count];
        for (var p = 0; p < cuts.Count; p++)
        {
            var (start, count) = cuts[p];
            var part = p + 1;
            records[p] = writer.Build(AuditEventTypes.PolicyLoaded, AuditEventWriter.RandomId(), subject: null, segment: null, json =>
            {
                WriteHeader(json, policy, stage, loadId, part, cuts.Count);
                json.WriteStartArray("segments");
                for (var i = start; i < start + count; i++)
                {
                    json.WriteRawValue(summaries[i], skipInputValidation: true);
                }

                json.WriteEndArray();
            });
        }

        return records;
    }

    /// <summary>
    /// The segments of <paramref name="policy"/> whose description alone would make a policy-loaded part larger than
    /// <see cref="MaxPartBytes"/>, with that part's data size in bytes; empty for every policy that can start.
    /// </summary>
    internal static IReadOnlyList<(SegmentPolicy Segment, long Bytes)> OversizedSegments(PrivacyPolicy policy, string stage)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        var header = HeaderBytes(policy, stage);
        var oversized = new List<(SegmentPolicy, long)>();
        foreach (var segment in policy.Segments)
        {
            var bytes = (long)header + SegmentSummary(segment).Length;
            if (bytes > MaxPartBytes)
            {
                oversized.Add((segment, bytes));
            }
        }

        return oversized;
    }

    /// <summary>
    /// Greedy cut of the summaries into runs (start, count): a run takes the next summary while the part's data stays
    /// within <see cref="PartBytes"/>, and always takes at least one.
    /// </summary>
    private static List<(int Start, int Count)> Split(int header, byte[][] summaries)
    {
        var cuts = new List<(int, int)>();
        var start = 0;
        var bytes = header;
        for (var i = 0; i < summaries.Length; i++)
        {
            var added = summaries[i].Length + (i > start ? 1 : 0);
            if (i > start && bytes + added > PartBytes)
            {
                cuts.Add((start, i - start));
                start = i;
                bytes = header;
                added = summaries[i].Length;
            }

            bytes += added;
        }

        cuts.Add((start, summaries.Length - start));
        return cuts;
    }

    // The data object without its segments: braces, policy-level and part fields at their widest, "segments":[].
    private static int HeaderBytes(PrivacyPolicy policy, string stage)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            WriteHeader(json, policy, stage, WidestLoadId, int.MaxValue, int.MaxValue);
            json.WriteEndObject();
        }

        // A comma before "segments" plus the array itself.
        return buffer.WrittenCount + 1 + SegmentsArrayBytes;
    }

    private static void WriteHeader(Utf8JsonWriter json, PrivacyPolicy policy, string stage, string loadId, int part, int parts)
    {
        json.WriteString("policyVersion", policy.Version);
        json.WriteString("policySource", policy.SourceName);
        json.WriteString("stage", stage);
        json.WriteString("loadId", loadId);
        json.WriteNumber("part", part);
        json.WriteNumber("parts", parts);
    }

    // One segment's summary object as UTF-8 JSON, escaped as the audit writer escapes it.
    private static byte[] SegmentSummary(SegmentPolicy segment)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteSegmentSummary(json, segment);
        }

        return buffer.WrittenSpan.ToArray();
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

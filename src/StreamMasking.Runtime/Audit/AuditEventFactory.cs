using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Confluent.Kafka;
using StreamMasking.Core.Aggregation;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Identity;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Pipeline;
using StreamMasking.Runtime.Serialization;

namespace StreamMasking.Runtime.Audit;

/// <summary>
/// Builds the records of the audit topic: CloudEvents 1.0 in structured mode (one JSON object holding the attributes
/// and <c>data</c>), which privacy officers use to prove what was released, what it cost and what was withheld.
/// </summary>
/// <remarks>
/// <para>
/// <b>Envelope.</b> <c>specversion</c> "1.0"; <c>id</c>; <c>source</c> <c>urn:streammasking:instance:{instanceId}</c>;
/// <c>type</c> one of <see cref="AuditEventTypes"/>; <c>time</c> from the injected <see cref="TimeProvider"/>, UTC,
/// truncated to milliseconds; <c>subject</c> the segment (the stage for <see cref="DeadLetterSummary"/>, absent for
/// <see cref="PolicyLoaded"/>); <c>datacontenttype</c> "application/json"; <c>data</c> the event's JSON object.
/// <c>schemas/audit-event.schema.json</c> describes every type's data exactly (no other field may appear).
/// </para>
/// <para>
/// <b>Kafka record.</b> Key: the subject in UTF-8 (null without a subject), so one segment's events stay ordered on
/// one partition. Value: the structured JSON, header <c>content-type</c>
/// <c>application/cloudevents+json; charset=utf-8</c>; with <c>Audit:Format</c> <c>avro</c>, that JSON encoded
/// under <c>schemas/audit-event.avsc</c> by the factory's <see cref="OutputEncoder"/> (Confluent-framed, header
/// <c>content-type</c> <c>application/vnd.apache.avro+binary; framing=confluent</c>). Timestamp: the event time.
/// <see cref="OutputRecord.Kind"/> is <see cref="OutputKind.Audit"/>, <see cref="OutputRecord.Segment"/> the segment
/// when there is one.
/// </para>
/// <para>
/// <b>Ids.</b> Release, budget-debit and suppression ids are deterministic: lowercase hex of the first 16 bytes of
/// SHA-256 over <c>type, segment, policy version, release key</c> joined with '\n'. A release retried after an
/// aborted transaction carries the same id, so consumers de-duplicate on (<c>source</c>, <c>id</c>) as the
/// CloudEvents spec intends. The other events get a random GUID ("N" format).
/// </para>
/// <para>
/// <b>What never appears.</b> No record contents, unit ids, noise values, noisy or exact aggregate values, intervals,
/// bins or selected keys. A release event instead carries <c>payloadSha256</c>, the SHA-256 of the exact bytes
/// produced to the aggregates topic (in its format: the release JSON, or its framed Avro encoding), so an auditor can
/// match the two byte for byte. Doubles are JSON numbers in round-trip form; a NaN or infinity throws
/// <see cref="ArgumentOutOfRangeException"/> instead of being written.
/// </para>
/// <para>
/// <b>Budget debits.</b> <see cref="WindowReleaser.Release"/> debits every aggregate of a window before the runtime
/// sees any outcome, so the ledger passed to <see cref="BudgetDebit"/> may already hold later debits of the same
/// window. The window's spend (and what remains in it) is therefore recomputed exactly as it stood right after this
/// debit, from the ledger's retained debits up to this one's <c>sequence</c>. Lifetime totals cannot be rewound
/// exactly (older debits are forgotten), so <c>lifetimeSpend</c>, <c>remainingLifetime</c> and
/// <c>lifetimeGuarantee</c> are the ledger's state when the event is built, which includes every debit up to
/// <c>ledgerSequence</c> (equal to <c>sequence</c> for the window's last debit). Call it right after releasing the
/// window, before the next window is released: the debit must still be retained, or it throws.
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
internal sealed class AuditEventFactory
{
    /// <summary>CloudEvents <c>specversion</c>.</summary>
    internal const string SpecVersion = "1.0";

    /// <summary>CloudEvents <c>datacontenttype</c> of every audit event.</summary>
    internal const string DataContentType = "application/json";

    /// <summary>The <c>content-type</c> header of structured-mode CloudEvents JSON.</summary>
    internal const string StructuredContentType = "application/cloudevents+json; charset=utf-8";

    /// <summary>Kafka header carrying <see cref="StructuredContentType"/> (the CloudEvents Kafka binding's name).</summary>
    internal const string ContentTypeHeader = "content-type";

    /// <summary>Prefix of the <c>source</c> attribute; the instance id follows.</summary>
    internal const string SourcePrefix = "urn:streammasking:instance:";

    private static readonly JsonEventFormatter Formatter = new();

    private readonly Uri _source;
    private readonly TimeProvider _time;
    private readonly OutputEncoder _values;

    /// <summary>Creates a factory for one pipeline instance.</summary>
    /// <param name="topic">The audit topic.</param>
    /// <param name="instanceId">Pipeline instance id; the event source is <c>urn:streammasking:instance:{instanceId}</c>.</param>
    /// <param name="time">Clock of the event <c>time</c> attribute.</param>
    /// <param name="values">Encoder of the topic's values (<c>Audit:Format</c>); the default passes the JSON through.</param>
    internal AuditEventFactory(string topic, string instanceId, TimeProvider time, OutputEncoder? values = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentNullException.ThrowIfNull(time);
        if (!Uri.TryCreate(SourcePrefix + instanceId, UriKind.Absolute, out var source))
        {
            throw new ArgumentException("The instance id does not form a valid source URI.", nameof(instanceId));
        }

        if (values is not null && values.Topic != topic)
        {
            throw new ArgumentException("The encoder is for another topic.", nameof(values));
        }

        _values = values ?? OutputEncoder.Json(topic, StructuredContentType);

        Topic = topic;
        _source = source;
        _time = time;
    }

    /// <summary>The audit topic every record is addressed to.</summary>
    internal string Topic { get; }

    /// <summary>The CloudEvents <c>source</c> of every event.</summary>
    internal Uri Source => _source;

    /// <summary>
    /// A policy was loaded by <paramref name="stage"/>. Data: policy version and source name, the stage, and per
    /// segment its name, masked topic, privacy unit (field name, per-window event cap, over-cap behaviour), window
    /// (size, grace, idle close in ms), budget (accountant, per-window and lifetime caps, accountant δ) and aggregates
    /// (name, kind, noise, ε, δ, continual), and the segment's DP content hashes. No subject; a random id.
    /// </summary>
    internal OutputRecord PolicyLoaded(PrivacyPolicy policy, string stage)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        return Build(AuditEventTypes.PolicyLoaded, RandomId(), subject: null, segment: null, json =>
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

    /// <summary>
    /// A release was paid and its payload goes to the aggregates topic. Data: segment, policy version, aggregate,
    /// kind, continual (and step), window, mechanism, ε, δ, ρ (zCDP), noise scale, release key and
    /// <c>payloadSha256</c> (lowercase hex SHA-256 of <paramref name="published"/>). Never the value,
    /// interval, bins, selected keys or noise. Deterministic id.
    /// </summary>
    /// <param name="outcome">The released outcome.</param>
    /// <param name="published">The value produced to the aggregates topic for it; the default is
    /// <see cref="ReleaseOutcome.Payload"/> (the value when the topic is JSON).</param>
    /// <exception cref="ArgumentException">The outcome is not <see cref="ReleaseOutcomeKind.Released"/> or lacks its release or payload.</exception>
    internal OutputRecord Release(ReleaseOutcome outcome, byte[]? published = null)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Kind != ReleaseOutcomeKind.Released || outcome.Release is null || outcome.Payload is null)
        {
            throw new ArgumentException("Only a released outcome (with its release and payload) has a release event.", nameof(outcome));
        }

        var release = outcome.Release;
        var releaseKey = outcome.Key.ToString();
        var id = DeterministicId(AuditEventTypes.Release, release.Segment, release.PolicyVersion, releaseKey);
        var payloadSha256 = Convert.ToHexStringLower(SHA256.HashData(published ?? outcome.Payload));
        return Build(AuditEventTypes.Release, id, release.Segment, release.Segment, json =>
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

    /// <summary>
    /// A release was paid from <paramref name="segment"/>'s budget. Data: segment, policy version, release key,
    /// aggregate, continual, window, accountant, debit sequence, the charged cost, the window's spend right after
    /// this debit, the window cap and what remained in the window, then (read from <paramref name="ledger"/>, already
    /// debited, as of <c>ledgerSequence</c>) the lifetime spend, lifetime cap, remaining lifetime budget and lifetime
    /// (ε, δ) guarantee. Deterministic id.
    /// </summary>
    /// <exception cref="ArgumentException">Nothing was charged, the release is missing or of another segment, or
    /// <paramref name="ledger"/> holds no debit of this cost under the outcome's release key.</exception>
    internal OutputRecord BudgetDebit(string segment, ReleaseOutcome outcome, BudgetLedger ledger)
    {
        ArgumentException.ThrowIfNullOrEmpty(segment);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(ledger);
        if (outcome.Charged is not { } charged || outcome.Release is null)
        {
            throw new ArgumentException("Only an outcome that charged a cost (with its release) has a budget-debit event.", nameof(outcome));
        }

        var release = outcome.Release;
        if (!string.Equals(release.Segment, segment, StringComparison.Ordinal))
        {
            throw new ArgumentException("The release belongs to another segment.", nameof(segment));
        }

        if (ledger.FindDebit(outcome.Key) is not { } debit || debit.Cost != charged)
        {
            throw new ArgumentException("The ledger holds no debit of the charged cost for this release key.", nameof(ledger));
        }

        var releaseKey = outcome.Key.ToString();
        var id = DeterministicId(AuditEventTypes.BudgetDebit, segment, release.PolicyVersion, releaseKey);
        var window = outcome.Key.Window;
        var accountant = ledger.Accountant;
        var lifetimeSpend = ledger.LifetimeSpend;
        var retained = ledger.RetainedDebits();
        var ledgerSequence = retained.Count == 0 ? debit.Sequence : retained[^1].Sequence;

        // The ledger composes a window's spend by folding its debits in order: replaying the fold up to this debit
        // gives exactly the spend the ledger held right after it.
        var windowSpend = default(PrivacySpend);
        foreach (var record in retained)
        {
            if (record.Key.Window == window && record.Sequence <= debit.Sequence)
            {
                windowSpend = windowSpend.Add(record.Cost);
            }
        }

        return Build(AuditEventTypes.BudgetDebit, id, segment, segment, json =>
        {
            json.WriteString("segment", segment);
            json.WriteString("policyVersion", release.PolicyVersion);
            json.WriteString("releaseKey", releaseKey);
            json.WriteString("aggregate", outcome.Aggregate);
            json.WriteBoolean("continual", outcome.Continual);
            AuditJson.WriteWindow(json, window, release.WindowStartMs, release.WindowEndMs);
            json.WriteString("accountant", AuditCodes.AccountantName(accountant.Kind));
            json.WriteNumber("sequence", debit.Sequence);
            AuditJson.WriteCost(json, "charged", charged);
            AuditJson.WriteSpend(json, "windowSpend", windowSpend);
            AuditJson.WriteCost(json, "windowCap", ledger.WindowCap);
            AuditJson.WriteCost(json, "remainingInWindow", accountant.Remaining(windowSpend, ledger.WindowCap));
            json.WriteNumber("ledgerSequence", ledgerSequence);
            AuditJson.WriteSpend(json, "lifetimeSpend", lifetimeSpend);
            AuditJson.WriteCost(json, "lifetimeCap", ledger.LifetimeCap);
            AuditJson.WriteCost(json, "remainingLifetime", accountant.Remaining(lifetimeSpend, ledger.LifetimeCap));
            AuditJson.WriteCost(json, "lifetimeGuarantee", accountant.Guarantee(lifetimeSpend));
        });
    }

    /// <summary>
    /// A release was refused and nothing was emitted. Data: segment, policy version, reason (stable snake_case code,
    /// see <see cref="AuditCodes.SuppressionCode"/>), aggregate, continual, window and release key. Deterministic id.
    /// </summary>
    /// <exception cref="ArgumentException">The outcome is not <see cref="ReleaseOutcomeKind.Suppressed"/> with a
    /// reason, or <paramref name="window"/> is not the outcome's window.</exception>
    internal OutputRecord Suppression(ReleaseOutcome outcome, SealedWindow window, string policyVersion)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentException.ThrowIfNullOrEmpty(policyVersion);
        if (outcome.Kind != ReleaseOutcomeKind.Suppressed || outcome.Reason == SuppressionReason.None || !Enum.IsDefined(outcome.Reason))
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
        var id = DeterministicId(AuditEventTypes.Suppression, segment, policyVersion, releaseKey);
        return Build(AuditEventTypes.Suppression, id, segment, segment, json =>
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

    /// <summary>
    /// One per committed transaction that dead-lettered records. Subject: the stage. Data: stage, total
    /// (Σ <paramref name="byReason"/>), byReason (reason code → count), bySegment (segment name or "" → count).
    /// Random id.
    /// </summary>
    /// <exception cref="ArgumentException">A count is negative or a key is null.</exception>
    internal OutputRecord DeadLetterSummary(string stage, IReadOnlyDictionary<string, long> byReason,
        IReadOnlyDictionary<string, long> bySegment)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentNullException.ThrowIfNull(byReason);
        ArgumentNullException.ThrowIfNull(bySegment);
        var total = Total(byReason, nameof(byReason));
        return Build(AuditEventTypes.DeadLetterSummary, RandomId(), stage, segment: null, json =>
        {
            json.WriteString("stage", stage);
            json.WriteNumber("total", total);
            AuditJson.WriteCounts(json, "byReason", byReason, nameof(byReason));
            AuditJson.WriteCounts(json, "bySegment", bySegment, nameof(bySegment));
        });
    }

    /// <summary>
    /// One per committed transaction and segment that deliberately dropped records for a public reason
    /// (<c>already_processed</c>; never the counts of drops decided by DP state, see
    /// <see cref="TransactionSummaryAuditor"/>) or published events without their noised fields. Subject: the segment. Data: stage,
    /// segment, dropped (reason code → count), totalDropped, strippedOverCap. Random id.
    /// </summary>
    /// <exception cref="ArgumentException">A count is negative or a key is null.</exception>
    internal OutputRecord RecordsDropped(string stage, string segment, IReadOnlyDictionary<string, long> droppedByReason,
        long strippedOverCap)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentException.ThrowIfNullOrEmpty(segment);
        ArgumentNullException.ThrowIfNull(droppedByReason);
        ArgumentOutOfRangeException.ThrowIfNegative(strippedOverCap);
        var total = Total(droppedByReason, nameof(droppedByReason));
        return Build(AuditEventTypes.RecordsDropped, RandomId(), segment, segment, json =>
        {
            json.WriteString("stage", stage);
            json.WriteString("segment", segment);
            AuditJson.WriteCounts(json, "dropped", droppedByReason, nameof(droppedByReason));
            json.WriteNumber("totalDropped", total);
            json.WriteNumber("strippedOverCap", strippedOverCap);
        });
    }

    /// <summary>
    /// The stage stopped because the DP state's ownership invariant broke (see <c>StateOwnership</c>). Subject: the
    /// segment, else the topic. Data: stage, topic, segment (when known), partition, reason code and the stop message
    /// (topic, segment and partition numbers only). Random id.
    /// </summary>
    internal OutputRecord OwnershipViolated(string stage, string topic, string? segment, int partition, string reason, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentNullException.ThrowIfNull(message);
        return Build(AuditEventTypes.OwnershipViolated, RandomId(), segment ?? topic, segment, json =>
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

    /// <summary>
    /// A privacy unit of <paramref name="segment"/> has spent its lifetime cap for event-level noise
    /// (<c>event_lifetime_spent</c>), or the partition's lifetime ledger is missing although the segment has state
    /// there (<c>event_lifetime_state_lost</c>, every unit then withheld): from now on the records go out without their
    /// noised fields. Subject: the segment. Data: stage, segment, partition, reason, the cap. No unit id, not even a
    /// digest: the event says that one more unit is withheld, never which one. Random id.
    /// </summary>
    internal OutputRecord UnitLifetimeExhausted(string stage, string segment, int partition, string reason, PrivacyCost cap)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentException.ThrowIfNullOrEmpty(segment);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return Build(AuditEventTypes.UnitLifetimeExhausted, RandomId(), segment, segment, json =>
        {
            json.WriteString("stage", stage);
            json.WriteString("segment", segment);
            json.WriteNumber("partition", partition);
            json.WriteString("reason", reason);
            AuditJson.WriteCost(json, "lifetimeCap", cap);
        });
    }

    /// <summary>
    /// Records of <paramref name="segment"/> written with Avro writer schema <paramref name="writerSchema"/> carry fields
    /// the segment's rules do not name (<paramref name="unnamedFields"/>, dotted paths): they are dropped. Subject: the
    /// segment. Data: stage, segment, the writer schema's full name and 64-bit parsing-form fingerprint (hex), the
    /// segment's content hash and the field paths (schema metadata, never values). The id is a function of type,
    /// segment, content hash and fingerprint, so every report of one (segment, policy content, writer schema) has the
    /// same id, whichever instance or start of the stage sends it.
    /// </summary>
    internal OutputRecord SchemaFieldsUnnamed(string stage, SegmentPolicy segment, string writerSchema, long writerFingerprint,
        IReadOnlyList<string> unnamedFields)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentException.ThrowIfNullOrEmpty(writerSchema);
        ArgumentNullException.ThrowIfNull(unnamedFields);
        var contentHash = PolicyContentHash.Of(segment);
        var fingerprint = writerFingerprint.ToString("x16", CultureInfo.InvariantCulture);
        var id = DeterministicId(AuditEventTypes.SchemaFieldsUnnamed, segment.Name, contentHash, fingerprint);
        return Build(AuditEventTypes.SchemaFieldsUnnamed, id, segment.Name, segment.Name, json =>
        {
            json.WriteString("stage", stage);
            json.WriteString("segment", segment.Name);
            json.WriteString("writerSchema", writerSchema);
            json.WriteString("writerFingerprint", fingerprint);
            json.WriteString("contentHash", contentHash);
            json.WriteStartArray("unnamedFields");
            foreach (var field in unnamedFields)
            {
                json.WriteStringValue(field);
            }

            json.WriteEndArray();
        });
    }

    /// <summary>
    /// The deterministic id of a release, budget-debit or suppression event: lowercase hex of the first 16 bytes of
    /// SHA-256 over the UTF-8 of <c>type\nsegment\npolicyVersion\nreleaseKey</c>.
    /// </summary>
    internal static string DeterministicId(string type, string segment, string policyVersion, string releaseKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', type, segment, policyVersion, releaseKey)));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static string RandomId() => Guid.NewGuid().ToString("N");

    private static long Total(IReadOnlyDictionary<string, long> counts, string parameterName)
    {
        var total = 0L;
        foreach (var count in counts.Values)
        {
            if (count < 0)
            {
                throw new ArgumentException("Counts must not be negative.", parameterName);
            }

            total = checked(total + count);
        }

        return total;
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

    private OutputRecord Build(string type, string id, string? subject, string? segment, Action<Utf8JsonWriter> writeData)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            writeData(json);
            json.WriteEndObject();
        }

        JsonElement data;
        using (var document = JsonDocument.Parse(buffer.WrittenMemory))
        {
            data = document.RootElement.Clone();
        }

        // Millisecond precision: the Kafka timestamp and the CloudEvents time attribute then agree exactly.
        var now = _time.GetUtcNow().ToUniversalTime();
        var time = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = id,
            Source = _source,
            Type = type,
            Time = time,
            Subject = subject,
            DataContentType = DataContentType,
            Data = data,
        };
        var value = Formatter.EncodeStructuredModeMessage(cloudEvent, out _);
        var message = new Message<byte[]?, byte[]?>
        {
            Key = subject is null ? null : Encoding.UTF8.GetBytes(subject),
            Value = _values.Encode(value.ToArray(), type),
            Headers = new Headers { { ContentTypeHeader, _values.ContentType } },
            Timestamp = new Timestamp(time),
        };
        return new OutputRecord(Topic, message, OutputKind.Audit, segment);
    }
}

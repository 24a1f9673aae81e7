using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Confluent.Kafka;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Serialization;

namespace StreamMasking.Runtime.Audit;

/// <summary>
/// Writes the records of the audit topic: CloudEvents 1.0 in structured mode (one JSON object holding the attributes
/// and <c>data</c>), which privacy officers use to prove what was released, what it cost and what was withheld. This
/// type owns the envelope and the id scheme; each event type's <c>data</c> is written by its own class under
/// <c>Audit/Events/</c> (an extension method on this writer, e.g. <c>audit.Release(outcome)</c>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Envelope.</b> <c>specversion</c> "1.0"; <c>id</c>; <c>source</c> <c>urn:streammasking:instance:{instanceId}</c>;
/// <c>type</c> one of <see cref="AuditEventTypes"/>; <c>time</c> from the injected <see cref="TimeProvider"/>, UTC,
/// truncated to milliseconds; <c>subject</c> the segment (the stage for a dead-letter summary, absent for a policy
/// load); <c>datacontenttype</c> "application/json"; <c>data</c> the event's JSON object.
/// <c>schemas/audit-event.schema.json</c> describes every type's data exactly (no other field may appear).
/// </para>
/// <para>
/// <b>Kafka record.</b> Key: the subject in UTF-8 (null without a subject), so one segment's events stay ordered on
/// one partition. Value: the structured JSON, header <c>content-type</c>
/// <c>application/cloudevents+json; charset=utf-8</c>; with <c>Audit:Format</c> <c>avro</c>, that JSON encoded
/// under <c>schemas/audit-event.avsc</c> by the writer's <see cref="OutputEncoder"/> (Confluent-framed, header
/// <c>content-type</c> <c>application/vnd.apache.avro+binary; framing=confluent</c>). Timestamp: the event time.
/// <see cref="OutputRecord.Kind"/> is <see cref="OutputKind.Audit"/>, <see cref="OutputRecord.Segment"/> the segment
/// when there is one.
/// </para>
/// <para>
/// <b>Ids.</b> Release, budget-debit and suppression ids are deterministic (<see cref="DeterministicId"/>): a release
/// retried after an aborted transaction carries the same id, so consumers de-duplicate on (<c>source</c>, <c>id</c>)
/// as the CloudEvents spec intends. The other events get a random GUID (<see cref="RandomId"/>).
/// </para>
/// <para>
/// <b>What never appears.</b> No record contents, unit ids, noise values, noisy or exact aggregate values, intervals,
/// bins or selected keys. A release event instead carries <c>payloadSha256</c>, the SHA-256 of the exact bytes
/// produced to the aggregates topic (in its format: the release JSON, or its framed Avro encoding), so an auditor can
/// match the two byte for byte. Doubles are JSON numbers in round-trip form (<see cref="AuditJson"/>); a NaN or
/// infinity throws <see cref="ArgumentOutOfRangeException"/> instead of being written.
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
internal sealed class AuditEventWriter
{
    /// <summary>CloudEvents <c>specversion</c>.</summary>
    internal const string SpecVersion = "1.0";

    /// <summary>CloudEvents <c>datacontenttype</c> of every audit event.</summary>
    internal const string DataContentType = "application/json";

    /// <summary>The <c>content-type</c> header of structured-mode CloudEvents JSON.</summary>
    internal const string StructuredContentType = OutputEncoder.CloudEventsJsonContentType;

    /// <summary>Kafka header carrying <see cref="StructuredContentType"/> (the CloudEvents Kafka binding's name).</summary>
    internal const string ContentTypeHeader = "content-type";

    /// <summary>Prefix of the <c>source</c> attribute; the instance id follows.</summary>
    internal const string SourcePrefix = "urn:streammasking:instance:";

    private static readonly JsonEventFormatter Formatter = new();

    private readonly Uri _source;
    private readonly TimeProvider _time;
    private readonly OutputEncoder _values;

    /// <summary>Creates a writer for one pipeline instance.</summary>
    /// <param name="topic">The audit topic.</param>
    /// <param name="instanceId">Pipeline instance id; the event source is <c>urn:streammasking:instance:{instanceId}</c>.</param>
    /// <param name="time">Clock of the event <c>time</c> attribute.</param>
    /// <param name="values">Encoder of the topic's values (<c>Audit:Format</c>); the default passes the JSON through.</param>
    internal AuditEventWriter(string topic, string instanceId, TimeProvider time, OutputEncoder? values = null)
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
    /// The deterministic id of a release, budget-debit or suppression event: lowercase hex of the first 16 bytes of
    /// SHA-256 over the UTF-8 of <c>type\nsegment\npolicyVersion\nreleaseKey</c>. (The schema-fields-unnamed event
    /// passes its content hash and writer fingerprint in the last two places.)
    /// </summary>
    internal static string DeterministicId(string type, string segment, string policyVersion, string releaseKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', type, segment, policyVersion, releaseKey)));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>A fresh random id: a GUID in "N" format (32 lowercase hex digits).</summary>
    internal static string RandomId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// One audit record: <paramref name="writeData"/> writes the members of the <c>data</c> object (the braces are
    /// written here), which is wrapped in the CloudEvents envelope, encoded in the topic's format and addressed by
    /// <paramref name="subject"/> (the Kafka key; null for none).
    /// </summary>
    /// <param name="type">The CloudEvents <c>type</c>, one of <see cref="AuditEventTypes"/>.</param>
    /// <param name="id">The CloudEvents <c>id</c>.</param>
    /// <param name="subject">The CloudEvents <c>subject</c> and Kafka key, or null.</param>
    /// <param name="segment">The <see cref="OutputRecord.Segment"/> of the record, or null.</param>
    /// <param name="writeData">Writes the data object's members.</param>
    internal OutputRecord Build(string type, string id, string? subject, string? segment, Action<Utf8JsonWriter> writeData)
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

using System.Buffers.Binary;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Avro;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Schemas;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Serialization;

/// <summary>
/// Encodes the values of one of the service's own topics (aggregates, audit) in the topic's configured format, at
/// the one place each kind of record is built. <c>json</c> passes the JSON through. <c>avro</c> converts it under
/// the topic's embedded schema (<see cref="OutputSchemas"/>) and frames it in the Confluent wire format (magic byte
/// 0, 4-byte big-endian schema id), the schema registered under <c>&lt;topic&gt;-value</c> once per process, on the
/// first record. Thread-safe: the stages of an instance share one encoder per topic.
/// </summary>
/// <remarks>
/// Nothing is published on an Avro topic without its schema registered and nothing in JSON instead: a registry
/// that does not answer throws <see cref="SchemaRegistryUnavailableException"/> (the loop aborts the transaction
/// and retries it, so the stage pauses until the registry is back); a registry that refuses the schema, or a JSON
/// value the schema does not describe (a bug: the schema tests keep both in step), stops the stage with a
/// <see cref="StageStoppedException"/> naming the record type.
/// </remarks>
internal sealed class OutputEncoder
{
    /// <summary>The <c>content-type</c> of structured-mode CloudEvents JSON (the audit topic's JSON format).</summary>
    internal const string CloudEventsJsonContentType = "application/cloudevents+json; charset=utf-8";

    /// <summary>The <c>content-type</c> of the aggregates topic's JSON values.</summary>
    internal const string AggregatesJsonContentType = "application/json";

    private readonly RecordSchema? _schema;
    private readonly string _schemaFile;
    private readonly ISchemaRegistryClient? _client;
    private readonly RegistryCalls? _calls;
    private readonly ILogger? _logger;
    private readonly Lock _registering = new();
    private int _schemaId = -1;

    private OutputEncoder(string topic, string contentType, RecordSchema? schema, string schemaFile,
        ISchemaRegistryClient? client, RegistryCalls? calls, ILogger? logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        Topic = topic;
        ContentType = Encoding.UTF8.GetBytes(contentType);
        _schema = schema;
        _schemaFile = schemaFile;
        _client = client;
        _calls = calls;
        _logger = logger;
    }

    /// <summary>The topic the values are for (its subject is <c>&lt;topic&gt;-value</c>).</summary>
    internal string Topic { get; }

    /// <summary>The <c>content-type</c> header value of every record (shared: never modify it).</summary>
    internal byte[] ContentType { get; }

    /// <summary>True when values are Avro.</summary>
    internal bool IsAvro => _schema is not null;

    /// <summary>An encoder that passes JSON through, with <paramref name="contentType"/> as the header.</summary>
    internal static OutputEncoder Json(string topic, string contentType) => new(topic, contentType, null, "", null, null, null);

    /// <summary>An encoder writing Confluent-framed Avro under the embedded <paramref name="schemaFile"/>.</summary>
    internal static OutputEncoder Avro(string topic, string schemaFile, ISchemaRegistryClient client, RegistryCalls calls, ILogger logger) =>
        new(topic, MaskedAvroWriter.ContentType, OutputSchemas.Parse(schemaFile), schemaFile, client, calls, logger);

    /// <summary>The encoders of the aggregates and audit topics as the options say (one registry client for both).</summary>
    internal static (OutputEncoder Aggregates, OutputEncoder Audit) Create(StreamMaskingOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ISchemaRegistryClient? client = null;
        RegistryCalls? calls = null;
        OutputEncoder Make(string format, string topic, string jsonContentType, string schemaFile)
        {
            if (format != OutputFormats.Avro)
            {
                return Json(topic, jsonContentType);
            }

            client ??= RegistryClients.Create(options.SchemaRegistry);
            calls ??= new RegistryCalls(options.SchemaRegistry.MaxAttempts, options.Pipeline.RetryBackoff, logger);
            return Avro(topic, schemaFile, client, calls, logger);
        }

        return (Make(options.Aggregates.Format, options.Aggregates.Topic, AggregatesJsonContentType, OutputSchemas.Release),
            Make(options.Audit.Format, options.Audit.Topic, CloudEventsJsonContentType, OutputSchemas.AuditEvent));
    }

    /// <summary>The value to produce for the JSON <paramref name="json"/>, a record of <paramref name="recordType"/>.</summary>
    /// <param name="json">The record's JSON (one object).</param>
    /// <param name="recordType">What the record is (an audit event type, <c>release</c>): named when it fails.</param>
    /// <exception cref="SchemaRegistryUnavailableException">The schema is not registered yet and the registry does not answer.</exception>
    /// <exception cref="StageStoppedException">The JSON does not conform to the schema, or the registry refuses the schema.</exception>
    internal byte[] Encode(byte[] json, string recordType)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (_schema is null)
        {
            return json;
        }

        byte[] body;
        try
        {
            var node = JsonNode.Parse(json) as JsonObject
                ?? throw new AvroDataException(AvroDataProblem.SchemaMismatch, "", "not a JSON object");
            body = AvroBinary.Write(_schema, AvroJsonEncoder.ToRecord(_schema, node));
        }
        catch (Exception e) when (e is AvroDataException or AvroException or JsonException)
        {
            var path = (e as AvroDataException)?.Path ?? "";
            _logger!.OutputRecordNotConforming(recordType, Topic, _schemaFile, path);
            throw new StageStoppedException(
                $"A {recordType} record for topic '{Topic}' does not conform to {_schemaFile} (at '{path}'): "
                + "nothing is published on an Avro topic in another shape.", fenced: false, e);
        }

        var framed = new byte[5 + body.Length];
        framed[0] = InputDecoder.ConfluentMagic;
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1, 4), SchemaId());
        body.CopyTo(framed.AsSpan(5));
        return framed;
    }

    // Registered on first use and kept for the life of the process: an id names one schema forever. A failed attempt
    // leaves the id unset, so the retried transaction asks again.
    private int SchemaId()
    {
        var id = Volatile.Read(ref _schemaId);
        if (id >= 0)
        {
            return id;
        }

        lock (_registering)
        {
            if (_schemaId >= 0)
            {
                return _schemaId;
            }

            var subject = Topic + "-value";
            var text = OutputSchemas.Text(_schemaFile);
            try
            {
                id = _calls!.Run("RegisterSchema", () => _client!.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(text, SchemaType.Avro)));
            }
            catch (SchemaRegistryException e)
            {
                // About the schema, not the registry's health (for example 409: incompatible with the subject's earlier
                // versions): retrying cannot help, and nothing may go out unregistered.
                var cause = RegistryClients.Describe(e);
                _logger!.OutputSchemaRejected(_schemaFile, subject, cause);
                throw new StageStoppedException($"The schema registry refused {_schemaFile} for subject '{subject}' ({cause}).", fenced: false, e);
            }

            _logger!.OutputSchemaRegistered(_schemaFile, subject, id);
            Volatile.Write(ref _schemaId, id);
            return id;
        }
    }
}

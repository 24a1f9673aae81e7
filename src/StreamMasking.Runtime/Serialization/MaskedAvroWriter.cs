using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Avro;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Schemas;

namespace StreamMasking.Runtime.Serialization;

/// <summary>
/// Writes masked records of segments declaring <c>output: avro</c>: derives the masked schema from (writer schema,
/// segment rules), registers it under the masked topic's subject (TopicNameStrategy: <c>&lt;topic&gt;-value</c>)
/// and frames the Avro body in the Confluent wire format (magic byte 0, 4-byte big-endian schema id). A derived
/// schema and its id are cached per (segment, writer schema) for the life of the process; a registry that does not
/// answer throws <see cref="SchemaRegistryUnavailableException"/> (the loop aborts and re-reads: nothing is
/// published without its schema being registered).
/// </summary>
internal sealed class MaskedAvroWriter(ISchemaRegistryClient client, RegistryCalls calls, string policyVersion, ILogger logger)
{
    private readonly ConcurrentDictionary<(string Segment, long Writer), (RecordSchema Schema, int Id)> _schemas = new();

    /// <summary>The content type of Avro output records (the <c>content-type</c> header).</summary>
    internal const string ContentType = "application/vnd.apache.avro+binary; framing=confluent";

    internal static MaskedAvroWriter Create(Configuration.StreamMaskingOptions options, TimeSpan retryBackoff, string policyVersion, ILogger logger)
    {
        var r = options.SchemaRegistry;
        return new MaskedAvroWriter(RegistryClients.Create(r), new RegistryCalls(r.MaxAttempts, retryBackoff, logger), policyVersion, logger);
    }

    /// <summary>The framed record, or why the masked record cannot be written in Avro (the record is dead-lettered).</summary>
    internal (byte[]? Value, DeadLetterReason? Failure) Write(SegmentPolicy segment, Avro.Schema? writer, JsonObject masked)
    {
        if (writer is not RecordSchema record)
        {
            return (null, DeadLetterReason.AvroSchemaMismatch); // JSON input has no writer schema to derive from
        }

        // The parsing form keeps names, types and order: exactly what the derivation reads.
        var key = (segment.Name, SchemaNormalization.ParsingFingerprint64(record));
        if (!_schemas.TryGetValue(key, out var output))
        {
            MaskedSchema derived;
            try
            {
                derived = MaskedSchemaDeriver.Derive(record, segment, policyVersion);
            }
            catch (SchemaParseException)
            {
                return (null, DeadLetterReason.AvroSchemaMismatch);
            }

            var subject = segment.MaskedTopic + "-value";
            int id;
            try
            {
                id = calls.Run("RegisterSchema", () => client.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(derived.Json, SchemaType.Avro)));
            }
            catch (SchemaRegistryException e)
            {
                // The registry refuses the schema (for example 409: incompatible with the subject's earlier versions):
                // fail closed on this record; the next record of the shape asks again.
                logger.MaskedSchemaRejected(subject, RegistryClients.Describe(e));
                return (null, DeadLetterReason.AvroSchemaMismatch);
            }

            logger.MaskedSchemaRegistered(subject, id, segment.Name);
            output = _schemas.GetOrAdd(key, (derived.Schema, id));
        }

        byte[] body;
        try
        {
            body = AvroBinary.Write(output.Schema, AvroJsonEncoder.ToRecord(output.Schema, masked));
        }
        catch (AvroDataException)
        {
            return (null, DeadLetterReason.AvroSchemaMismatch);
        }

        var framed = new byte[5 + body.Length];
        framed[0] = InputDecoder.ConfluentMagic;
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1, 4), output.Id);
        body.CopyTo(framed.AsSpan(5));
        return (framed, null);
    }
}

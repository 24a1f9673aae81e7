using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Avro;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Schemas;

namespace StreamMasking.Host.Demo;

/// <summary>
/// <c>demo --format avro</c>: the synthetic events as Avro single-object encoding (<c>C3 01</c>, the writer schema's
/// 8-byte little-endian CRC-64-AVRO fingerprint, the binary body) under the sample schemas of <c>schemas/samples</c>
/// (a patient visit, a payment), which the pipeline reads from that directory. The deliberately malformed events
/// stay as they are, so they reach the dead-letter topic as bad framing. Also derives, per segment, the Avro schema
/// its masked records would have.
/// </summary>
internal sealed class DemoAvroInput
{
    private readonly IReadOnlyDictionary<string, RecordSchema> _byTopic;

    private DemoAvroInput(string directory, IReadOnlyDictionary<string, RecordSchema> byTopic)
    {
        Directory = directory;
        _byTopic = byTopic;
    }

    /// <summary>The directory holding the sample schemas (the pipeline's local schema directory).</summary>
    internal string Directory { get; }

    /// <summary>The sample schema of each input topic.</summary>
    internal IReadOnlyDictionary<string, RecordSchema> Schemas => _byTopic;

    /// <summary>Loads the sample schemas shipped next to the binary (or from the repository layout).</summary>
    internal static DemoAvroInput Load()
    {
        var directory = new[] { Path.Combine(AppContext.BaseDirectory, "schemas", "samples"), Path.Combine(Environment.CurrentDirectory, "schemas", "samples") }
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "patient-visit.avsc")))
            ?? throw new FileNotFoundException("The sample schemas (schemas/samples/*.avsc) are not next to the binary nor in the working directory.");
        RecordSchema Read(string file) => (RecordSchema)Schema.Parse(File.ReadAllText(Path.Combine(directory, file)));
        return new DemoAvroInput(directory, new Dictionary<string, RecordSchema>(StringComparer.Ordinal)
        {
            [SyntheticEvents.VisitsTopic] = Read("patient-visit.avsc"),
            [SyntheticEvents.PaymentsTopic] = Read("payment.avsc"),
        });
    }

    /// <summary>The event as a single-object Avro record of its topic's schema; a value that is not a JSON object of that schema as is.</summary>
    internal byte[] Encode(string topic, byte[] json)
    {
        var schema = _byTopic[topic];
        JsonObject body;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject parsed)
            {
                return json;
            }

            body = parsed;
        }
        catch (JsonException)
        {
            return json;
        }

        byte[] encoded;
        try
        {
            encoded = AvroBinary.Write(schema, AvroJsonEncoder.ToRecord(schema, body));
        }
        catch (Exception e) when (e is AvroDataException or AvroException)
        {
            return json;
        }

        var framed = new byte[10 + encoded.Length];
        framed[0] = 0xC3;
        framed[1] = 0x01;
        BinaryPrimitives.WriteInt64LittleEndian(framed.AsSpan(2, 8), SchemaNormalization.ParsingFingerprint64(schema));
        encoded.CopyTo(framed.AsSpan(10));
        return framed;
    }

    /// <summary>
    /// Per segment, the masked schema derived from the sample schema its records come in (the one the segment's rules
    /// name most fields of), with the segment's tag rules for that schema applied first, as the service does.
    /// </summary>
    internal IReadOnlyList<(SegmentPolicy Segment, string Topic, MaskedSchema Masked)> MaskedSchemas(PrivacyPolicy policy)
    {
        var result = new List<(SegmentPolicy, string, MaskedSchema)>();
        foreach (var segment in policy.Segments)
        {
            (SegmentPolicy Segment, string Topic, MaskedSchema Masked)? best = null;
            foreach (var (topic, schema) in _byTopic.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                var (resolved, refused) = SchemaTagRules.Apply(policy, schema);
                if (refused.ContainsKey(segment.Name))
                {
                    continue;
                }

                var effective = resolved.Segments[segment.Index];
                MaskedSchema masked;
                try
                {
                    masked = MaskedSchemaDeriver.Derive(schema, effective, policy.Version);
                }
                catch (SchemaParseException)
                {
                    continue;
                }

                if (best is null || masked.MissingFields.Count < best.Value.Masked.MissingFields.Count)
                {
                    best = (segment, topic, masked);
                }
            }

            if (best is { } found)
            {
                result.Add(found);
            }
        }

        return result;
    }
}

using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Avro;
using StreamMasking.Core.Schemas;

namespace StreamMasking.Runtime.Tests.Serialization;

/// <summary>Test-side Avro framing: the Confluent wire format and single-object encoding, written by hand from the specs.</summary>
internal static class AvroFraming
{
    internal const string TestRecordSchema = """
        {
          "type": "record", "name": "TestVisit", "namespace": "io.streammasking.tests",
          "fields": [
            { "name": "tenant", "type": "string" },
            { "name": "seq", "type": "int" },
            { "name": "notes", "type": "string" },
            { "name": "patient", "type": { "type": "record", "name": "TestPatient", "fields": [
              { "name": "id", "type": "string" },
              { "name": "name", "type": "string", "confluent:tags": ["PII"] },
              { "name": "ssn", "type": "string" },
              { "name": "age", "type": "int" } ] } }
          ]
        }
        """;

    internal static readonly RecordSchema TestRecord = (RecordSchema)Schema.Parse(TestRecordSchema);

    internal static byte[] Body(RecordSchema schema, JsonObject json) => AvroBinary.Write(schema, AvroJsonEncoder.ToRecord(schema, json));

    internal static byte[] Confluent(int schemaId, ReadOnlySpan<byte> body)
    {
        var framed = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1, 4), schemaId);
        body.CopyTo(framed.AsSpan(5));
        return framed;
    }

    internal static byte[] SingleObject(Schema schema, ReadOnlySpan<byte> body)
    {
        var framed = new byte[10 + body.Length];
        framed[0] = 0xC3;
        framed[1] = 0x01;
        BinaryPrimitives.WriteInt64LittleEndian(framed.AsSpan(2, 8), SchemaNormalization.ParsingFingerprint64(schema));
        body.CopyTo(framed.AsSpan(10));
        return framed;
    }
}

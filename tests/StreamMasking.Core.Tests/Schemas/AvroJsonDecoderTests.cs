using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Avro.IO;
using StreamMasking.Core.Schemas;
using StreamMasking.Testing.Json;

namespace StreamMasking.Core.Tests.Schemas;

public sealed class AvroJsonDecoderTests
{
    internal const string EveryTypeSchema = """
        {
          "type": "record", "name": "Every", "namespace": "t",
          "fields": [
            { "name": "b", "type": "boolean" },
            { "name": "i", "type": "int" },
            { "name": "l", "type": "long" },
            { "name": "f", "type": "float" },
            { "name": "d", "type": "double" },
            { "name": "s", "type": "string" },
            { "name": "raw", "type": "bytes" },
            { "name": "fx", "type": { "type": "fixed", "name": "Four", "size": 4 } },
            { "name": "e", "type": { "type": "enum", "name": "Colour", "symbols": ["red", "green"] } },
            { "name": "opt", "type": ["null", "string"], "default": null },
            { "name": "choice", "type": ["null", "long", { "type": "record", "name": "Inner", "fields": [ { "name": "x", "type": "int" } ] }] },
            { "name": "list", "type": { "type": "array", "items": "Inner" } },
            { "name": "dict", "type": { "type": "map", "values": "double" } },
            { "name": "day", "type": { "type": "int", "logicalType": "date" } },
            { "name": "at", "type": { "type": "long", "logicalType": "timestamp-millis" } },
            { "name": "atMicros", "type": { "type": "long", "logicalType": "timestamp-micros" } },
            { "name": "price", "type": { "type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2 } },
            { "name": "uid", "type": { "type": "string", "logicalType": "uuid" } }
          ]
        }
        """;

    internal static readonly RecordSchema Every = (RecordSchema)Schema.Parse(EveryTypeSchema);

    internal static JsonObject EveryValue() => new()
    {
        ["b"] = true,
        ["i"] = -42,
        ["l"] = 1L << 40,
        ["f"] = 1.5,
        ["d"] = -0.125,
        ["s"] = "héllo",
        ["raw"] = Convert.ToBase64String([1, 2, 3]),
        ["fx"] = Convert.ToBase64String([9, 8, 7, 6]),
        ["e"] = "green",
        ["opt"] = null,
        ["choice"] = new JsonObject { ["x"] = 7 },
        ["list"] = new JsonArray(new JsonObject { ["x"] = 1 }, new JsonObject { ["x"] = 2 }),
        ["dict"] = new JsonObject { ["k1"] = 0.5, ["k2"] = 2.0 },
        ["day"] = "1987-06-05",
        ["at"] = "2026-12-03T09:15:30.123Z",
        ["atMicros"] = "2026-12-03T09:15:30.123456Z",
        ["price"] = "-1234.50",
        ["uid"] = "5f0c6b7e-0d6a-4a62-9b44-2f1f1f0e3b9a",
    };

    [Fact]
    public void Decode_EveryTypeWrittenByApacheAvro_ReadsBackTheSameJson()
    {
        var json = EveryValue();
        var bytes = AvroBinary.Write(Every, AvroJsonEncoder.ToRecord(Every, json));

        var back = AvroJsonDecoder.Decode(Every, bytes);

        JsonEquivalence.Difference(json, back).ShouldBeNull();
        back["choice"]!["x"]!.GetValue<int>().ShouldBe(7);
        back["at"]!.GetValue<string>().ShouldBe("2026-12-03T09:15:30.123Z");
    }

    [Fact]
    public void Decode_SameBytes_AgreesWithApacheAvroGenericReader()
    {
        var bytes = AvroBinary.Write(Every, AvroJsonEncoder.ToRecord(Every, EveryValue()));
        var apache = new GenericDatumReader<GenericRecord>(Every, Every).Read(null!, new BinaryDecoder(new MemoryStream(bytes)));

        var ours = AvroJsonDecoder.Decode(Every, bytes);

        ours["s"]!.GetValue<string>().ShouldBe((string)apache["s"]);
        ours["l"]!.GetValue<long>().ShouldBe((long)apache["l"]);
        ours["e"]!.GetValue<string>().ShouldBe(((GenericEnum)apache["e"]).Value);
        ours["dict"]!.AsObject().Count.ShouldBe(((IDictionary<string, object>)apache["dict"]).Count);
        DateTimeOffset.Parse(ours["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).UtcDateTime
            .ShouldBe((DateTime)apache["at"]);
    }

    [Fact]
    public void Decode_TruncatedAtEveryLength_ThrowsCorrupt()
    {
        var bytes = AvroBinary.Write(Every, AvroJsonEncoder.ToRecord(Every, EveryValue()));

        for (var length = 0; length < bytes.Length; length++)
        {
            Should.Throw<AvroDataException>(() => AvroJsonDecoder.Decode(Every, bytes.AsSpan(0, length)))
                .Problem.ShouldBe(AvroDataProblem.Corrupt, $"length {length}");
        }
    }

    [Fact]
    public void Decode_EverySingleBitFlipped_DecodesOrThrowsAvroDataExceptionOnly()
    {
        var bytes = AvroBinary.Write(Every, AvroJsonEncoder.ToRecord(Every, EveryValue()));
        var failures = 0;

        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                AvroJsonDecoder.Decode(Every, flipped);
            }
            catch (AvroDataException)
            {
                failures++;
            }
        }

        failures.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(long.MaxValue / 2)]
    [InlineData(-5)]
    public void Decode_StringLengthBeyondTheRecord_ThrowsCorruptWithoutAllocating(long length)
    {
        var schema = (RecordSchema)Schema.Parse("""{"type":"record","name":"S","fields":[{"name":"s","type":"string"}]}""");
        var bytes = ZigZag(length).Concat("abc"u8.ToArray()).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();

        Should.Throw<AvroDataException>(() => AvroJsonDecoder.Decode(schema, bytes)).Problem.ShouldBe(AvroDataProblem.Corrupt);

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(1_000_000);
    }

    [Fact]
    public void Decode_ArrayBlockCountBeyondTheRecord_ThrowsCorrupt()
    {
        var schema = (RecordSchema)Schema.Parse("""{"type":"record","name":"A","fields":[{"name":"a","type":{"type":"array","items":"long"}}]}""");

        Should.Throw<AvroDataException>(() => AvroJsonDecoder.Decode(schema, ZigZag(1L << 40)));
        Should.Throw<AvroDataException>(() => AvroJsonDecoder.Decode(schema, ZigZag(-(1L << 40)).Concat(ZigZag(3)).ToArray()));
    }

    [Fact]
    public void Decode_ManyNullItems_StopsAtTheItemLimit()
    {
        var schema = (RecordSchema)Schema.Parse("""{"type":"record","name":"N","fields":[{"name":"a","type":{"type":"array","items":"null"}}]}""");

        Should.Throw<AvroDataException>(() => AvroJsonDecoder.Decode(schema, ZigZag(AvroJsonDecoder.MaxItems + 1L)))
            .Problem.ShouldBe(AvroDataProblem.Corrupt);
        AvroJsonDecoder.Decode(schema, [.. ZigZag(3), 0])["a"]!.AsArray().Count.ShouldBe(3);
    }

    [Fact]
    public void Decode_TrailingBytesOrBadUnionIndex_ThrowsCorrupt()
    {
        var schema = (RecordSchema)Schema.Parse("""{"type":"record","name":"U","fields":[{"name":"u","type":["null","int"]}]}""");

        AvroJsonDecoder.Decode(schema, [2, 4])["u"]!.GetValue<int>().ShouldBe(2);
        Should.Throw<AvroDataException>(() => AvroJsonDecoder.Decode(schema, [2, 4, 0]));
        Should.Throw<AvroDataException>(() => AvroJsonDecoder.Decode(schema, [4, 4]));
        Should.Throw<AvroDataException>(() => AvroJsonDecoder.Decode(schema, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]));
    }

    [Fact]
    public void Decode_NonRecordWriterSchema_ThrowsSchemaMismatch() =>
        Should.Throw<AvroDataException>(() => AvroJsonDecoder.Decode(Schema.Parse("\"string\""), [0]))
            .Problem.ShouldBe(AvroDataProblem.SchemaMismatch);

    [Fact]
    public void Decode_InvalidUtf8_ThrowsCorrupt()
    {
        var schema = (RecordSchema)Schema.Parse("""{"type":"record","name":"S","fields":[{"name":"s","type":"string"}]}""");

        Should.Throw<AvroDataException>(() => AvroJsonDecoder.Decode(schema, [4, 0xC3, 0x28])).Problem.ShouldBe(AvroDataProblem.Corrupt);
    }

    internal static byte[] ZigZag(long value)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(raw & 0x7F);
            raw >>= 7;
            bytes.Add(raw == 0 ? b : (byte)(b | 0x80));
        }
        while (raw != 0);

        return [.. bytes];
    }
}

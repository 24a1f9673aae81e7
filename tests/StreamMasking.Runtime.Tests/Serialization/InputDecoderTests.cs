using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Serialization;
using StreamMasking.Testing.SchemaRegistry;

namespace StreamMasking.Runtime.Tests.Serialization;

public sealed class InputDecoderTests : IDisposable
{
    private readonly TestSchemaRegistry _registry = TestSchemaRegistry.Start();
    private readonly string _schemaDirectory = Directory.CreateTempSubdirectory("sm-avsc").FullName;

    public void Dispose()
    {
        _registry.Dispose();
        Directory.Delete(_schemaDirectory, recursive: true);
    }

    private InputDecoder Decoder()
    {
        File.WriteAllText(Path.Combine(_schemaDirectory, "visit.avsc"), AvroFraming.TestRecordSchema);
        var options = new StreamMaskingOptions
        {
            Pipeline = { InputTopics = ["c", "s", "j"], InputFormats = { ["c"] = "avro-confluent", ["s"] = "avro-single-object" } },
            SchemaRegistry = { Url = _registry.Url, LocalSchemaDirectory = _schemaDirectory },
        };
        return InputDecoder.Create(options, TimeSpan.FromMilliseconds(10), NullLogger.Instance);
    }

    private static JsonObject Visit() => new()
    {
        ["tenant"] = "alpha",
        ["seq"] = 1,
        ["notes"] = "n",
        ["patient"] = new JsonObject { ["id"] = "P-1", ["name"] = "Ada", ["ssn"] = "123-45-6789", ["age"] = 36 },
    };

    [Fact]
    public void Decode_BothFramingsAndJson_GiveTheSameRecord()
    {
        var id = _registry.Register("c-value", AvroFraming.TestRecordSchema);
        var body = AvroFraming.Body(AvroFraming.TestRecord, Visit());
        var decoder = Decoder();

        var confluent = decoder.Decode("c", AvroFraming.Confluent(id, body));
        var single = decoder.Decode("s", AvroFraming.SingleObject(AvroFraming.TestRecord, body));
        var json = decoder.Decode("j", System.Text.Encoding.UTF8.GetBytes(Visit().ToJsonString()));

        confluent.Body!.ToJsonString().ShouldBe(Visit().ToJsonString());
        single.Body!.ToJsonString().ShouldBe(Visit().ToJsonString());
        json.Body!.ToJsonString().ShouldBe(Visit().ToJsonString());
        confluent.WriterSchema!.Fullname.ShouldBe("io.streammasking.tests.TestVisit");
        json.WriterSchema.ShouldBeNull();
    }

    [Fact]
    public void Decode_BadInputs_DeadLetterWithPreciseReasons()
    {
        var id = _registry.Register("c-value", AvroFraming.TestRecordSchema);
        var nonRecord = _registry.Register("other-value", "\"string\"");
        var body = AvroFraming.Body(AvroFraming.TestRecord, Visit());
        var decoder = Decoder();

        decoder.Decode("c", [1, .. AvroFraming.Confluent(id, body).AsSpan(1)]).Failure.ShouldBe(DeadLetterReason.UnknownMagicByte);
        decoder.Decode("c", "{\"tenant\":\"alpha\"}"u8.ToArray()).Failure.ShouldBe(DeadLetterReason.UnknownMagicByte);
        decoder.Decode("c", AvroFraming.Confluent(id + 1000, body)).Failure.ShouldBe(DeadLetterReason.UnknownSchemaId);
        decoder.Decode("c", AvroFraming.Confluent(id, body.AsSpan(0, body.Length - 3))).Failure.ShouldBe(DeadLetterReason.CorruptAvro);
        decoder.Decode("c", [0, 0]).Failure.ShouldBe(DeadLetterReason.CorruptAvro);
        decoder.Decode("c", null).Failure.ShouldBe(DeadLetterReason.CorruptAvro);
        decoder.Decode("c", AvroFraming.Confluent(nonRecord, [2, (byte)'x'])).Failure.ShouldBe(DeadLetterReason.AvroSchemaMismatch);
        decoder.Decode("s", AvroFraming.Confluent(id, body)).Failure.ShouldBe(DeadLetterReason.UnknownMagicByte);
        decoder.Decode("s", AvroFraming.SingleObject(Avro.Schema.Parse("\"string\""), body)).Failure.ShouldBe(DeadLetterReason.UnknownSchemaId);
        decoder.Decode("j", [0, 0, 0, 0, 1]).Failure.ShouldBe(DeadLetterReason.MalformedRecord);
    }

    [Fact]
    public void Decode_RegistryDown_ThrowsUnavailableInsteadOfDeadLettering()
    {
        var id = _registry.Register("c-value", AvroFraming.TestRecordSchema);
        var decoder = Decoder();
        _registry.FailNextRequests(1000);

        Should.Throw<SchemaRegistryUnavailableException>(() => decoder.Decode("c", AvroFraming.Confluent(id, AvroFraming.Body(AvroFraming.TestRecord, Visit()))));
    }
}

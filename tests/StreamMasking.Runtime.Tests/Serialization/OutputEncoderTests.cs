using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using Avro;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Schemas;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Serialization;
using StreamMasking.Runtime.Tests.Audit;
using StreamMasking.Runtime.Tests.Schemas;
using StreamMasking.Testing.Json;
using StreamMasking.Testing.SchemaRegistry;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Serialization;

/// <summary>The encoder of the aggregates and audit topics against the test registry (no broker).</summary>
public sealed class OutputEncoderTests : IDisposable
{
    private const string AvroContentType = "application/vnd.apache.avro+binary; framing=confluent";
    private const string AggregatesTopic = "streammasking.aggregates";

    private readonly TestSchemaRegistry _registry = TestSchemaRegistry.Start();

    public void Dispose() => _registry.Dispose();

    [Fact]
    public void Encode_EveryAuditEventType_FramedUnderOneRegisteredSchemaAndDecodesToItsJson()
    {
        var encoder = Avro(Topic, OutputSchemas.AuditEvent);
        var events = AuditEventSchemaTests.AllEvents().ToList();
        var ids = new HashSet<int>();

        foreach (var record in events)
        {
            var json = JsonNode.Parse(record.Message.Value)!.AsObject();
            var framed = encoder.Encode(record.Message.Value!, (string)json["type"]!);

            framed[0].ShouldBe((byte)0);
            var id = BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(1, 4));
            ids.Add(id);
            var schema = Schema.Parse(_registry.SchemaById(id));
            JsonEquivalence.Difference(json, AvroJsonDecoder.Decode(schema, framed.AsSpan(5))).ShouldBeNull((string)json["type"]!);
        }

        ids.ShouldHaveSingleItem();
        _registry.SchemaById(ids.Single()).ShouldBe(File.ReadAllText(Path.Combine(SchemaFiles.Directory, "audit-event.avsc")));
        _registry.RequestCount("/subjects/" + Topic + "-value").ShouldBe(1);
        encoder.ContentType.ShouldBe(Encoding.UTF8.GetBytes(AvroContentType));
    }

    [Fact]
    public void Encode_Releases_DecodeToTheReleaseJson()
    {
        var encoder = Avro(AggregatesTopic, OutputSchemas.Release);
        var payloads = new[] { AllKinds(), Zcdp() }.SelectMany(spec => ReleaseFirstWindow(spec).Outcomes)
            .Select(o => o.Payload).OfType<byte[]>().ToList();
        payloads.Count.ShouldBeGreaterThanOrEqualTo(5);

        foreach (var payload in payloads)
        {
            var framed = encoder.Encode(payload, "release");
            var schema = Schema.Parse(_registry.SchemaById(BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(1, 4))));
            JsonEquivalence.Difference(JsonNode.Parse(payload), AvroJsonDecoder.Decode(schema, framed.AsSpan(5))).ShouldBeNull();
        }

        _registry.RequestCount("/subjects/" + AggregatesTopic + "-value").ShouldBe(1);
    }

    [Fact]
    public void Encode_FieldTheSchemaLacks_StopsTheStageNamingTheEventTypeAndRegistersNothing()
    {
        var encoder = Avro(Topic, OutputSchemas.AuditEvent);
        var json = JsonNode.Parse(Writer().Release(ReleaseFirstWindow(AllKinds()).Outcomes[0]).Message.Value)!.AsObject();
        json["data"]!["value"] = 3.5;

        var stop = Should.Throw<StageStoppedException>(() => encoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()), AuditEventTypes.Release));

        stop.Message.ShouldContain(AuditEventTypes.Release);
        stop.Message.ShouldContain("audit-event.avsc");
        stop.Fenced.ShouldBeFalse();
        stop.InnerException.ShouldBeOfType<AvroDataException>();
        _registry.RequestCount("/").ShouldBe(0);
    }

    [Fact]
    public void Encode_RegistryDown_ThrowsUnavailableThenRegistersOnceItAnswers()
    {
        var encoder = Avro(AggregatesTopic, OutputSchemas.Release);
        var payload = ReleaseFirstWindow(AllKinds()).Outcomes[0].Payload!;
        _registry.FailNextRequests(int.MaxValue);

        Should.Throw<SchemaRegistryUnavailableException>(() => encoder.Encode(payload, "release"));
        Should.Throw<SchemaRegistryUnavailableException>(() => encoder.Encode(payload, "release"));

        _registry.FailNextRequests(0);
        var first = encoder.Encode(payload, "release");
        var second = encoder.Encode(payload, "release");
        second.ShouldBe(first);
        _registry.RequestCount("/subjects/" + AggregatesTopic + "-value").ShouldBe(7); // 2 × 3 failed attempts, then one
    }

    [Fact]
    public void Encode_RegistryRefusesTheSchema_StopsTheStageNamingTheSubject()
    {
        _registry.Register(Topic + "-value", """
            { "type": "record", "name": "AuditEvent", "namespace": "io.streammasking.v1.audit", "fields": [ { "name": "other", "type": "string" } ] }
            """);
        var encoder = Avro(Topic, OutputSchemas.AuditEvent);
        var record = Writer().DeadLetterSummary("route", new Dictionary<string, long> { ["malformed_record"] = 1 }, new Dictionary<string, long> { [""] = 1 });

        var stop = Should.Throw<StageStoppedException>(() => encoder.Encode(record.Message.Value!, AuditEventTypes.DeadLetterSummary));

        stop.Message.ShouldContain(Topic + "-value");
    }

    [Fact]
    public void Json_ValueAndContentType_PassedThrough()
    {
        var encoder = OutputEncoder.Json(AggregatesTopic, OutputEncoder.AggregatesJsonContentType);
        var payload = ReleaseFirstWindow(AllKinds()).Outcomes[0].Payload!;

        encoder.Encode(payload, "release").ShouldBeSameAs(payload);
        encoder.ContentType.ShouldBe("application/json"u8.ToArray());
        encoder.IsAvro.ShouldBeFalse();
    }

    [Fact]
    public void Create_FormatsFromOptions_OneEncoderPerTopic()
    {
        var options = new StreamMaskingOptions
        {
            SchemaRegistry = { Url = _registry.Url },
            Aggregates = { Topic = "a.out", Format = OutputFormats.Avro },
            Audit = { Topic = "b.out" },
        };

        var (aggregates, audit) = OutputEncoder.Create(options, NullLogger.Instance);

        (aggregates.Topic, aggregates.IsAvro).ShouldBe(("a.out", true));
        (audit.Topic, audit.IsAvro).ShouldBe(("b.out", false));
        audit.ContentType.ShouldBe(Encoding.UTF8.GetBytes(AuditEventWriter.StructuredContentType));
    }

    [Theory]
    [InlineData("release.avsc")]
    [InlineData("audit-event.avsc")]
    public void EmbeddedSchema_IsTheFileInSchemas(string file)
    {
        OutputSchemas.Text(file).ShouldBe(File.ReadAllText(Path.Combine(SchemaFiles.Directory, file)));
    }

    [Fact]
    public void AuditFactory_AvroEncoder_EveryRecordAvroWithItsContentTypeAndThePublishedPayloadHash()
    {
        var writer = new AuditEventWriter(Topic, Instance, new FakeTimeProvider(Now), Avro(Topic, OutputSchemas.AuditEvent));
        var outcome = ReleaseFirstWindow(AllKinds()).Outcomes[0];
        var published = Avro(AggregatesTopic, OutputSchemas.Release).Encode(outcome.Payload!, "release");

        var record = writer.Release(outcome, published);

        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(AuditEventWriter.ContentTypeHeader)).ShouldBe(AvroContentType);
        var value = record.Message.Value!;
        var schema = Schema.Parse(_registry.SchemaById(BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4))));
        var json = AvroJsonDecoder.Decode(schema, value.AsSpan(5));
        ((string)json["type"]!).ShouldBe(AuditEventTypes.Release);
        ((string)json["data"]!["payloadSha256"]!).ShouldBe(Convert.ToHexStringLower(SHA256.HashData(published)));
    }

    [Fact]
    public void AuditFactory_EncoderOfAnotherTopic_Refused()
    {
        Should.Throw<ArgumentException>(() => new AuditEventWriter(Topic, Instance, TimeProvider.System,
            OutputEncoder.Json("other", AuditEventWriter.StructuredContentType)));
    }

    private OutputEncoder Avro(string topic, string file)
    {
        var options = new SchemaRegistryOptions { Url = _registry.Url, MaxAttempts = 3 };
        return OutputEncoder.Avro(topic, file, RegistryClients.Create(options), new RegistryCalls(3, TimeSpan.Zero, NullLogger.Instance),
            NullLogger.Instance);
    }
}

using System.Text.Json.Nodes;
using System.Text.Json;
using Confluent.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Tests.Serialization;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;
using StreamMasking.Testing.Json;
using StreamMasking.Testing.SchemaRegistry;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>Avro input in the Confluent wire format through the whole pipeline on the shared Kafka, with the test registry.</summary>
[Collection(KafkaCluster.Collection)]
public sealed class AvroInputPipelineTests(KafkaCluster cluster) : IDisposable
{
    private readonly TestSchemaRegistry _registry = TestSchemaRegistry.Start();

    public void Dispose() => _registry.Dispose();

    private (PipelineFixture Fixture, int SchemaId) Fixture(string alphaOutput = "json", string tags = "{}")
    {
        var fixture = new PipelineFixture(cluster, alphaOutput, tags);
        fixture.Options.Pipeline.InputFormats[fixture.InputTopic] = "avro-confluent";
        fixture.Options.SchemaRegistry.Url = _registry.Url;
        fixture.Options.SchemaRegistry.MaxAttempts = 2;
        var id = _registry.Register(fixture.InputTopic + "-value", AvroFraming.TestRecordSchema);
        return (fixture, id);
    }

    // The fixture's JSON records (well-formed ones) as Confluent-framed Avro.
    private static List<Message<byte[]?, byte[]?>> AvroInput(PipelineFixture fixture, int schemaId) =>
        AvroInput(WellFormedJson(fixture), schemaId);

    private static List<Message<byte[]?, byte[]?>> AvroInput(IEnumerable<byte[]> json, int schemaId) => json
        .Select(v => new Message<byte[]?, byte[]?>
        {
            Value = AvroFraming.Confluent(schemaId, AvroFraming.Body(AvroFraming.TestRecord, JsonNode.Parse(v)!.AsObject())),
        })
        .ToList();

    private static List<byte[]> WellFormedJson(PipelineFixture fixture) =>
        fixture.Input().Select(m => m.Value!).Where(v => v[^1] == (byte)'}').ToList();

    private static string Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : "";

    [Fact]
    public async Task RunAsync_SegmentWithAvroOutput_ConfluentFramedUnderRegisteredSchemaAndEqualToJsonOutput()
    {
        var (avro, id) = Fixture(alphaOutput: "avro");
        var json = WellFormedJson(avro);
        var avroInput = AvroInput(json, id);
        using (var pipeline = avro.CreatePipeline())
        {
            await avro.ProduceInputAsync(pipeline, avroInput);
            var snapshot = await PipelineFixture.RunUntilDrainedAsync(pipeline, avroInput.Count);
            snapshot.Published.ShouldBe(PipelineFixture.PerSegment * 3);
            snapshot.IsBalanced.ShouldBeTrue();
        }

        // The same records as JSON through a pipeline writing JSON everywhere: same segment names, same master
        // secret, so the same tokens.
        var reference = new PipelineFixture(cluster);
        var jsonInput = json.Select(v => new Message<byte[]?, byte[]?> { Value = v }).ToList();
        using (var pipeline = reference.CreatePipeline())
        {
            await reference.ProduceInputAsync(pipeline, jsonInput);
            (await PipelineFixture.RunUntilDrainedAsync(pipeline, jsonInput.Count)).Published.ShouldBe(PipelineFixture.PerSegment * 3);
        }

        var subject = avro.MaskedTopic("alpha") + "-value";
        using var client = new Confluent.SchemaRegistry.CachedSchemaRegistryClient(
            new Confluent.SchemaRegistry.SchemaRegistryConfig { Url = _registry.Url });
        (await client.GetAllSubjectsAsync()).ShouldContain(subject);
        (await client.GetSubjectVersionsAsync(subject)).Count.ShouldBe(1);
        var registered = await client.GetLatestSchemaAsync(subject);
        var schema = (Avro.RecordSchema)Avro.Schema.Parse(registered.SchemaString);
        schema.Namespace.ShouldBe("io.streammasking.masked.alpha");
        schema.Fields.Select(f => f.Name).ShouldBe(["tenant", "seq", "patient"]);

        var expected = cluster.DrainCommitted(reference.MaskedTopic("alpha"), timeout: TimeSpan.FromSeconds(60), expectedCount: PipelineFixture.PerSegment)
            .Select(r => JsonNode.Parse(r.Message.Value)!.AsObject())
            .ToDictionary(o => o["seq"]!.ToJsonString());
        expected.Count.ShouldBe(PipelineFixture.PerSegment);
        var masked = cluster.DrainCommitted(avro.MaskedTopic("alpha"), timeout: TimeSpan.FromSeconds(60), expectedCount: PipelineFixture.PerSegment);
        masked.Count.ShouldBe(PipelineFixture.PerSegment);
        foreach (var record in masked)
        {
            Header(record, RecordHeaders.ContentType).ShouldBe("application/vnd.apache.avro+binary; framing=confluent");
            var value = record.Message.Value!;
            value[0].ShouldBe((byte)0);
            System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4)).ShouldBe(registered.Id);
            var decoded = StreamMasking.Core.Schemas.AvroJsonDecoder.Decode(schema, value.AsSpan(5));
            var seq = decoded["seq"]!.ToJsonString();
            JsonEquivalence.Difference(expected[seq], decoded).ShouldBeNull();
            decoded["patient"]!["id"]!.GetValue<string>().ShouldStartWith("tok_");
        }

        // The segments declaring no output format still write JSON.
        foreach (var record in cluster.DrainCommitted(avro.MaskedTopic("beta"), timeout: TimeSpan.FromSeconds(60), expectedCount: PipelineFixture.PerSegment))
        {
            Header(record, RecordHeaders.ContentType).ShouldBe("application/json");
            JsonNode.Parse(record.Message.Value).ShouldNotBeNull();
        }
    }

    [Fact]
    public async Task RunAsync_AvroAndFuzzedAvro_GoodRecordsMaskedEveryBadOneDeadLetteredAccountingBalances()
    {
        // Segment alpha writes Avro, so records that survive decoding go through the Avro writer as well.
        var (fixture, id) = Fixture(alphaOutput: "avro");
        var good = AvroInput(fixture, id);
        var sample = good[0].Value!;
        var fuzzed = new List<(byte[] Value, string? Reason)>
        {
            (AvroFraming.Confluent(id + 777, sample.AsSpan(5)), "unknown_schema_id"),
            ([1, .. sample.AsSpan(1)], "unknown_magic_byte"),
            ([.. sample.AsSpan(0, sample.Length / 2)], "corrupt_avro"),
            ([.. sample.AsSpan(0, 3)], "corrupt_avro"),
            (AvroFraming.Confluent(id, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F, (byte)'a']), "corrupt_avro"), // string length 2^31 - 1
            (AvroFraming.Confluent(id, [.. sample.AsSpan(5), 0]), "corrupt_avro"), // trailing byte
        };
        var random = new Random(12);
        for (var i = 0; i < 60; i++)
        {
            var flipped = (byte[])good[i % good.Count].Value!.Clone();
            var bit = random.Next(5 * 8, flipped.Length * 8);
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            fuzzed.Add((flipped, null)); // may still decode: published, unmatched or dead-lettered, never a crash
        }

        using var pipeline = fixture.CreatePipeline();
        var input = good.Concat(fuzzed.Select(f => new Message<byte[]?, byte[]?> { Value = f.Value })).ToList();
        await fixture.ProduceInputAsync(pipeline, input);

        var snapshot = await PipelineFixture.RunUntilDrainedAsync(pipeline, input.Count);

        snapshot.Consumed.ShouldBe(input.Count);
        snapshot.IsBalanced.ShouldBeTrue();
        (snapshot.Published + snapshot.DeadLettered + snapshot.Dropped).ShouldBe(input.Count);
        snapshot.Published.ShouldBeGreaterThanOrEqualTo(PipelineFixture.PerSegment * 3);
        foreach (var reason in fuzzed.Where(f => f.Reason is not null).GroupBy(f => f.Reason!))
        {
            snapshot.DeadLettersByReason.GetValueOrDefault(reason.Key).ShouldBeGreaterThanOrEqualTo(reason.Count(), reason.Key);
        }

        snapshot.DeadLettersByReason["unmatched_segment"].ShouldBeGreaterThanOrEqualTo(PipelineFixture.Unmatched);
        // A flipped bit that still decodes may change the tenant (unmatched) or nothing a policy reads; any other
        // outcome is one of the decoding reasons.
        snapshot.DeadLettersByReason.Keys.ShouldBeSubsetOf(
            ["unknown_schema_id", "unknown_magic_byte", "corrupt_avro", "avro_schema_mismatch", "unmatched_segment"]);

        // Every dead letter is on the topic with its reason, and the counts agree with the records.
        var deadLetters = cluster.DrainCommitted(fixture.Options.DeadLetters.Topic, timeout: TimeSpan.FromSeconds(60), expectedCount: (int)snapshot.DeadLettered);
        deadLetters.Count.ShouldBe((int)snapshot.DeadLettered);
        deadLetters.GroupBy(d => Records.Header(d.Message, RecordHeaders.DeadLetterReason))
            .ToDictionary(g => g.Key, g => (long)g.Count())
            .ShouldBe(snapshot.DeadLettersByReason.ToDictionary(r => r.Key, r => r.Value), ignoreOrder: true);

        var masked = cluster.DrainCommitted(fixture.MaskedTopic("beta"), timeout: TimeSpan.FromSeconds(30));
        masked.Count.ShouldBeGreaterThanOrEqualTo(PipelineFixture.PerSegment);
        foreach (var record in masked.Take(PipelineFixture.PerSegment))
        {
            using var json = JsonDocument.Parse(record.Message.Value);
            json.RootElement.TryGetProperty("notes", out _).ShouldBeFalse();
            json.RootElement.GetProperty("patient").TryGetProperty("name", out _).ShouldBeFalse();
        }

        var alpha = cluster.DrainCommitted(fixture.MaskedTopic("alpha"), timeout: TimeSpan.FromSeconds(30));
        alpha.Count.ShouldBeGreaterThanOrEqualTo(PipelineFixture.PerSegment);
        foreach (var record in alpha)
        {
            record.Message.Value![0].ShouldBe((byte)0);
            var schema = (Avro.RecordSchema)Avro.Schema.Parse(
                _registry.SchemaById(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(record.Message.Value.AsSpan(1, 4))));
            var decoded = StreamMasking.Core.Schemas.AvroJsonDecoder.Decode(schema, record.Message.Value.AsSpan(5));
            decoded.ContainsKey("notes").ShouldBeFalse();
        }
    }

    [Fact]
    public async Task RunAsync_WriterSchemaTagsAField_SegmentsApplyTheTagActionInRecordsAndDerivedSchema()
    {
        // TestVisit tags patient.name PII; the policy names no such path, only the tag's action.
        var (fixture, id) = Fixture(alphaOutput: "avro", tags: "{ PII: tokenize }");
        var input = AvroInput(fixture, id);
        using (var pipeline = fixture.CreatePipeline())
        {
            await fixture.ProduceInputAsync(pipeline, input);
            var snapshot = await PipelineFixture.RunUntilDrainedAsync(pipeline, input.Count);
            snapshot.Published.ShouldBe(PipelineFixture.PerSegment * 3);
        }

        fixture.Logs.Lines.ShouldContain(m => m.Contains("tags fields", StringComparison.Ordinal));
        foreach (var record in cluster.DrainCommitted(fixture.MaskedTopic("beta"), timeout: TimeSpan.FromSeconds(60), expectedCount: PipelineFixture.PerSegment))
        {
            var json = JsonNode.Parse(record.Message.Value)!;
            json["patient"]!["name"]!.GetValue<string>().ShouldStartWith("tok_");
            json.AsObject().ContainsKey("notes").ShouldBeFalse();
        }

        var alpha = cluster.DrainCommitted(fixture.MaskedTopic("alpha"), timeout: TimeSpan.FromSeconds(60), expectedCount: PipelineFixture.PerSegment);
        alpha.Count.ShouldBe(PipelineFixture.PerSegment);
        var schema = (Avro.RecordSchema)Avro.Schema.Parse(
            _registry.SchemaById(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(alpha[0].Message.Value.AsSpan(1, 4))));
        var patient = (Avro.RecordSchema)schema["patient"].Schema;
        patient["name"].Documentation.ShouldContain("(from tag PII)");
        foreach (var record in alpha)
        {
            StreamMasking.Core.Schemas.AvroJsonDecoder.Decode(schema, record.Message.Value.AsSpan(5))["patient"]!["name"]!
                .GetValue<string>().ShouldStartWith("tok_");
        }
    }

    [Fact]
    public async Task RunAsync_WriterSchemaEvolvesMidStream_NewOptionalFieldRemovedFieldAndNewIdsAllMaskedWithoutRestart()
    {
        var (fixture, v1) = Fixture();
        var subject = fixture.InputTopic + "-value";
        var withWard = JsonNode.Parse(AvroFraming.TestRecordSchema)!.AsObject();
        withWard["fields"]!.AsArray().Add(JsonNode.Parse("""{ "name": "ward", "type": ["null", "string"], "default": null }"""));
        var withoutNotes = JsonNode.Parse(AvroFraming.TestRecordSchema)!.AsObject();
        var fields = withoutNotes["fields"]!.AsArray();
        fields.Remove(fields.Single(f => f!["name"]!.GetValue<string>() == "notes"));
        var v2 = _registry.Register(subject, withWard.ToJsonString());
        var v3 = _registry.Register(subject, withoutNotes.ToJsonString());
        new[] { v1, v2, v3 }.Distinct().Count().ShouldBe(3);
        var schemas = new[] { (v1, AvroFraming.TestRecord), (v2, (Avro.RecordSchema)Avro.Schema.Parse(withWard.ToJsonString())),
            (v3, (Avro.RecordSchema)Avro.Schema.Parse(withoutNotes.ToJsonString())) };

        // Records in order; each third of the stream under the next writer schema, so the ids change mid-stream.
        var json = WellFormedJson(fixture);
        var input = json.Select((v, i) =>
        {
            var (id, schema) = schemas[i * 3 / json.Count];
            var body = JsonNode.Parse(v)!.AsObject();
            if (id == v2)
            {
                body["ward"] = "W-" + i;
            }
            else if (id == v3)
            {
                body.Remove("notes");
            }

            return new Message<byte[]?, byte[]?> { Value = AvroFraming.Confluent(id, AvroFraming.Body(schema, body)) };
        }).ToList();

        using var pipeline = fixture.CreatePipeline();
        await fixture.ProduceInputAsync(pipeline, input);
        var snapshot = await PipelineFixture.RunUntilDrainedAsync(pipeline, input.Count);

        snapshot.Published.ShouldBe(PipelineFixture.PerSegment * 3);
        snapshot.DeadLettersByReason.Keys.ShouldBe(["unmatched_segment"]);
        snapshot.IsBalanced.ShouldBeTrue();
        _registry.RequestCount("/schemas/ids/").ShouldBeGreaterThanOrEqualTo(3); // every writer id was looked up
        foreach (var segment in PipelineFixture.Segments)
        {
            foreach (var record in cluster.DrainCommitted(fixture.MaskedTopic(segment), timeout: TimeSpan.FromSeconds(60), expectedCount: PipelineFixture.PerSegment))
            {
                var masked = JsonNode.Parse(record.Message.Value)!.AsObject();
                masked.ContainsKey("ward").ShouldBeFalse(); // the new field is not named: dropped
                masked.ContainsKey("notes").ShouldBeFalse();
                masked["patient"]!["id"]!.GetValue<string>().ShouldStartWith("tok_");
            }
        }

        // Each (segment, writer schema) reports the fields its rules do not name once, however many records follow;
        // the new field shows up in the reports of the schema that brought it, and only there.
        var fingerprints = schemas.ToDictionary(s => Avro.SchemaNormalization.ParsingFingerprint64(s.Item2).ToString("x16"), s => s.Item1);
        var reports = cluster.DrainCommitted(fixture.Options.Audit.Topic, timeout: TimeSpan.FromSeconds(30))
            .Select(r => JsonNode.Parse(r.Message.Value)!.AsObject())
            .Where(e => (string)e["type"]! == "io.streammasking.schema.fields-unnamed")
            .Select(e => (Segment: (string)e["data"]!["segment"]!, Writer: fingerprints[(string)e["data"]!["writerFingerprint"]!],
                Fields: e["data"]!["unnamedFields"]!.AsArray().Select(f => (string)f!).ToList(), Id: (string)e["id"]!))
            .ToList();
        reports.Count.ShouldBe(PipelineFixture.Segments.Length * 3);
        reports.Select(r => (r.Segment, r.Writer)).Distinct().Count().ShouldBe(reports.Count);
        reports.Select(r => r.Id).Distinct().Count().ShouldBe(reports.Count);
        foreach (var report in reports)
        {
            report.Fields.Contains("ward").ShouldBe(report.Writer == v2, $"{report.Segment} / schema {report.Writer}");
            report.Fields.Contains("notes").ShouldBe(report.Writer != v3, $"{report.Segment} / schema {report.Writer}");
        }
    }

    [Fact]
    public async Task RunAsync_RegistryFailingThenBack_PausesWithoutDeadLetteringThenMasksEverything()
    {
        var (fixture, id) = Fixture();
        var good = AvroInput(fixture, id);
        using var pipeline = fixture.CreatePipeline();
        await fixture.ProduceInputAsync(pipeline, good);
        _registry.FailNextRequests(int.MaxValue);

        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Several aborted attempts prove the stage retried rather than moving on.
        while (_registry.RequestCount("/schemas/ids/") < 6)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(2));
            run.IsCompleted.ShouldBeFalse();
            await Task.Delay(100);
        }

        var paused = pipeline.Counters.Snapshot();
        paused.DeadLettered.ShouldBe(0);
        paused.Published.ShouldBe(0);
        paused.AbortedTransactions.ShouldBeGreaterThan(0);

        _registry.FailNextRequests(0);
        while (pipeline.Counters.Snapshot() is var s && (s.Consumed < good.Count || s.InFlight != 0))
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3), $"not drained: {s}");
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await run;
        var snapshot = pipeline.Counters.Snapshot();
        snapshot.Published.ShouldBe(PipelineFixture.PerSegment * 3);
        snapshot.DeadLettersByReason.Keys.ShouldBe(["unmatched_segment"]);
        snapshot.IsBalanced.ShouldBeTrue();
    }
}

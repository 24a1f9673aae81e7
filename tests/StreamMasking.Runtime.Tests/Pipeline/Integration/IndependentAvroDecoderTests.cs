using System.Diagnostics;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using StreamMasking.Core.Schemas;
using StreamMasking.Runtime.Tests.Serialization;
using StreamMasking.Runtime.Tests.Windowing.Integration;
using StreamMasking.Testing;
using StreamMasking.Testing.Json;
using StreamMasking.Testing.SchemaRegistry;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>
/// A decoder sharing no code with ours reads the Avro topics (a masked topic; the aggregates and audit topics):
/// Debian's python3-confluent-kafka (librdkafka, <c>isolation.level=read_committed</c>) consumes them from the local
/// broker, the schemas come from the test registry over HTTP, and python3-avro decodes every record. Skipped when
/// either package is absent.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class IndependentAvroDecoderTests(KafkaCluster cluster) : IDisposable
{
    private const string Python = "/usr/bin/python3";

    // argv: bootstrap servers, topic, registry URL, expected record count. Prints one JSON line per record and exits
    // 0, or exits non-zero with the reason on stderr (bad framing, bytes left after a record, timeout).
    private const string Script = """
        import io, json, sys, time, urllib.request, uuid
        import avro.io, avro.schema
        from confluent_kafka import Consumer, KafkaError, TopicPartition, OFFSET_BEGINNING

        bootstrap, topic, registry, expected = sys.argv[1], sys.argv[2], sys.argv[3].rstrip('/'), int(sys.argv[4])

        def get(path):
            with urllib.request.urlopen(registry + path, timeout=30) as r:
                return json.loads(r.read().decode('utf-8'))

        latest = get('/subjects/' + topic + '-value/versions/latest')
        schemas = {}
        consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'independent-' + uuid.uuid4().hex,
                             'isolation.level': 'read_committed', 'enable.auto.commit': False,
                             'enable.partition.eof': True})
        partitions = list(consumer.list_topics(topic, timeout=30).topics[topic].partitions)
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        at_end, count, deadline = set(), 0, time.monotonic() + 150
        while count < expected or len(at_end) < len(partitions):
            if time.monotonic() > deadline:
                sys.exit('timed out after %d records' % count)
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    at_end.add(msg.partition())
                    continue
                sys.exit('consume error: %s' % msg.error())
            at_end.discard(msg.partition())
            value = msg.value()
            if len(value) < 5 or value[0] != 0:
                sys.exit('not Confluent-framed at offset %d' % msg.offset())
            schema_id = int.from_bytes(value[1:5], 'big')
            if schema_id not in schemas:
                schemas[schema_id] = avro.schema.parse(get('/schemas/ids/%d' % schema_id)['schema'])
            body = io.BytesIO(value[5:])
            record = avro.io.DatumReader(schemas[schema_id]).read(avro.io.BinaryDecoder(body))
            if body.tell() != len(value) - 5:
                sys.exit('%d bytes left after the record at offset %d' % (len(value) - 5 - body.tell(), msg.offset()))
            headers = dict(msg.headers() or [])
            print(json.dumps({'partition': msg.partition(), 'offset': msg.offset(), 'schemaId': schema_id,
                              'latestId': latest['id'], 'contentType': headers.get('content-type', b'').decode('utf-8'),
                              'value': record}))
            count += 1
        consumer.close()
        """;

    private readonly TestSchemaRegistry _registry = TestSchemaRegistry.Start();

    public void Dispose() => _registry.Dispose();

    [SkippableFact]
    public async Task PythonAvroConsumer_ReadCommittedMaskedAvroTopic_DecodesEveryRecordLikeOurDecoder()
    {
        Skip.IfNot(File.Exists(Python) && Run(["-c", "import avro.io, confluent_kafka"]).ExitCode == 0,
            "python3-avro or python3-confluent-kafka is not installed for /usr/bin/python3 "
            + "(apt-get install python3-avro python3-confluent-kafka; scripts/install-test-tools.sh does it).");
        var fixture = new PipelineFixture(cluster, alphaOutput: "avro");
        fixture.Options.Pipeline.InputFormats[fixture.InputTopic] = "avro-confluent";
        fixture.Options.SchemaRegistry.Url = _registry.Url;
        // One long transaction, failed once after masked records reached the broker: the aborted records are on the
        // topic, and a read_committed consumer must not see them.
        fixture.Options.Pipeline.BatchMaxRecords = 10_000;
        fixture.Options.Pipeline.BatchMaxInterval = TimeSpan.FromSeconds(3);
        var topic = fixture.MaskedTopic("alpha");
        var id = _registry.Register(fixture.InputTopic + "-value", AvroFraming.TestRecordSchema);
        var input = fixture.Input().Select(m => m.Value!).Where(v => v[^1] == (byte)'}')
            .Select(v => new Message<byte[]?, byte[]?>
            {
                Value = AvroFraming.Confluent(id, AvroFraming.Body(AvroFraming.TestRecord, JsonNode.Parse(v)!.AsObject())),
            })
            .ToList();

        void WaitForOpenTransactionOnBroker()
        {
            var clock = Stopwatch.StartNew();
            while (cluster.DrainUncommitted(topic, timeout: TimeSpan.FromSeconds(20)).Count
                   <= cluster.DrainCommitted(topic, timeout: TimeSpan.FromSeconds(20)).Count)
            {
                clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(50), "open transaction records never reached the broker");
                Thread.Sleep(100);
            }
        }

        var failing = new List<FailOnceProcessor>();
        using (var pipeline = fixture.CreatePipeline((stage, inner) =>
               {
                   if (stage != "mask")
                   {
                       return inner;
                   }

                   var processor = new FailOnceProcessor(inner, failAt: 100, WaitForOpenTransactionOnBroker);
                   failing.Add(processor);
                   return processor;
               }))
        {
            await fixture.ProduceInputAsync(pipeline, input);
            var snapshot = await PipelineFixture.RunUntilDrainedAsync(pipeline, input.Count);
            failing.ShouldHaveSingleItem().Failed.ShouldBeTrue();
            snapshot.AbortedTransactions.ShouldBeGreaterThanOrEqualTo(1);
            snapshot.Published.ShouldBe(PipelineFixture.PerSegment * 3);
        }

        var run = Run(["-c", Script, cluster.BootstrapServers, topic, _registry.Url, PipelineFixture.PerSegment.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        run.ExitCode.ShouldBe(0, run.Error);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

        // Exactly the committed records, once each, though aborted ones are on the topic too.
        lines.Count.ShouldBe(PipelineFixture.PerSegment);
        lines.Select(l => l["value"]!["seq"]!.ToJsonString()).Distinct().Count().ShouldBe(PipelineFixture.PerSegment);
        cluster.DrainUncommitted(topic, timeout: TimeSpan.FromSeconds(20)).Count.ShouldBeGreaterThan(PipelineFixture.PerSegment);

        var ours = cluster.DrainCommitted(topic, timeout: TimeSpan.FromSeconds(60), expectedCount: PipelineFixture.PerSegment)
            .ToDictionary(r => (r.Partition.Value, r.Offset.Value));
        var schema = (Avro.RecordSchema)Avro.Schema.Parse(_registry.SchemaById(lines[0]["schemaId"]!.GetValue<int>()));
        foreach (var line in lines)
        {
            line["schemaId"]!.GetValue<int>().ShouldBe(line["latestId"]!.GetValue<int>());
            line["contentType"]!.GetValue<string>().ShouldBe("application/vnd.apache.avro+binary; framing=confluent");
            var record = ours[(line["partition"]!.GetValue<int>(), line["offset"]!.GetValue<long>())];
            var expected = AvroJsonDecoder.Decode(schema, record.Message.Value.AsSpan(5));
            JsonEquivalence.Difference(expected, line["value"]).ShouldBeNull();
            line["value"]!.AsObject().ContainsKey("notes").ShouldBeFalse();
            line["value"]!["patient"]!.AsObject().ContainsKey("name").ShouldBeFalse();
        }
    }

    [SkippableFact]
    public async Task PythonAvroConsumer_ReadCommittedAggregatesAndAuditTopics_DecodesEveryRecordLikeOurDecoder()
    {
        Skip.IfNot(File.Exists(Python) && Run(["-c", "import avro.io, confluent_kafka"]).ExitCode == 0,
            "python3-avro or python3-confluent-kafka is not installed for /usr/bin/python3 "
            + "(apt-get install python3-avro python3-confluent-kafka; scripts/install-test-tools.sh does it).");
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits());
        fixture.Options.SchemaRegistry.Url = _registry.Url;
        fixture.Options.Aggregates.Format = "avro";
        fixture.Options.Audit.Format = "avro";
        var aggregates = fixture.Options.Aggregates.Topic;
        var releases = 0;

        // The second window's releases reach the broker, then their transaction aborts: a read_committed consumer
        // must see only the retried ones.
        void FailOnceAfterReleasesReachedTheBroker(string point)
        {
            if (point != "release" || Interlocked.Increment(ref releases) != 2)
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            while (cluster.DrainUncommitted(aggregates, timeout: TimeSpan.FromSeconds(20)).Count
                   <= cluster.DrainCommitted(aggregates, timeout: TimeSpan.FromSeconds(20)).Count)
            {
                clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(50), "open transaction records never reached the broker");
                Thread.Sleep(100);
            }

            throw new InvalidOperationException("injected failure after the releases were produced");
        }

        using (var pipeline = fixture.CreatePipeline(FailOnceAfterReleasesReachedTheBroker))
        {
            await pipeline.ProvisionTopicsAsync(CancellationToken.None);
            await fixture.ProduceAsync(DpPolicies.StandardScenario());
            var snapshot = await DpPipelineFixture.RunUntilAsync(pipeline, DpPolicies.ScenarioRecords, DpPolicies.ScenarioWindows * 3);
            snapshot.AbortedTransactions.ShouldBeGreaterThanOrEqualTo(1);
        }

        cluster.DrainUncommitted(aggregates, timeout: TimeSpan.FromSeconds(20)).Count.ShouldBeGreaterThan(DpPolicies.ScenarioWindows * 3);

        var types = new List<string>();
        foreach (var topic in new[] { fixture.Options.Aggregates.Topic, fixture.Options.Audit.Topic })
        {
            var ours = cluster.DrainCommitted(topic, timeout: TimeSpan.FromSeconds(30)).ToDictionary(r => (r.Partition.Value, r.Offset.Value));
            ours.Count.ShouldBeGreaterThan(0, topic);
            var run = Run(["-c", Script, cluster.BootstrapServers, topic, _registry.Url, ours.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            run.ExitCode.ShouldBe(0, run.Error);
            var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

            lines.Count.ShouldBe(ours.Count, topic);
            foreach (var line in lines)
            {
                line["schemaId"]!.GetValue<int>().ShouldBe(line["latestId"]!.GetValue<int>());
                line["contentType"]!.GetValue<string>().ShouldBe("application/vnd.apache.avro+binary; framing=confluent");
                var record = ours[(line["partition"]!.GetValue<int>(), line["offset"]!.GetValue<long>())];
                var schema = Avro.Schema.Parse(_registry.SchemaById(line["schemaId"]!.GetValue<int>()));
                JsonEquivalence.Difference(AvroJsonDecoder.Decode(schema, record.Message.Value.AsSpan(5)), line["value"]).ShouldBeNull(topic);
                if (line["value"]!["type"] is { } type)
                {
                    types.Add(type.GetValue<string>());
                }
            }

            if (topic == fixture.Options.Aggregates.Topic)
            {
                lines.Count.ShouldBe(DpPolicies.ScenarioWindows * 3);
            }
        }

        types.ShouldContain("io.streammasking.policy.loaded");
        types.Count(t => t == "io.streammasking.release").ShouldBe(DpPolicies.ScenarioWindows * 3);
        types.ShouldContain("io.streammasking.budget.debit");
        types.ShouldContain("io.streammasking.deadletter.summary");
    }

    private static ProcessResult Run(IEnumerable<string> args) => ProcessRunner.Run(Python, args, TimeSpan.FromSeconds(240));
}

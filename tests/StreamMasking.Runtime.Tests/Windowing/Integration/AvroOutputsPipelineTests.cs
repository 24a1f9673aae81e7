using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text;
using Confluent.Kafka;
using StreamMasking.Core.Schemas;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Serialization;
using StreamMasking.Testing;
using StreamMasking.Testing.Json;
using StreamMasking.Testing.SchemaRegistry;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>
/// The aggregates and audit topics written in Avro (<c>Aggregates:Format</c>, <c>Audit:Format</c>) through the whole
/// pipeline on the shared broker, read back and decoded with the schema the registry holds for each record's id.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class AvroOutputsPipelineTests(KafkaCluster cluster) : IDisposable
{
    private const string AvroContentType = "application/vnd.apache.avro+binary; framing=confluent";

    private static readonly string[] DeterministicTypes =
        ["io.streammasking.release", "io.streammasking.budget.debit", "io.streammasking.release.suppressed"];

    private readonly TestSchemaRegistry _registry = TestSchemaRegistry.Start();

    public void Dispose() => _registry.Dispose();

    [Fact]
    public async Task StandardScenario_BothTopicsAvro_DecodeToWhatTheJsonRunWrites()
    {
        using var json = new DpPipelineFixture(cluster, DpPolicies.Visits());
        await RunScenarioAsync(json);
        using var avro = new DpPipelineFixture(cluster, DpPolicies.Visits());
        UseAvro(avro, aggregates: true, audit: true);
        await RunScenarioAsync(avro);

        // One registration per topic and process (before any read-back asks the registry for the latest version).
        foreach (var topic in new[] { avro.Options.Aggregates.Topic, avro.Options.Audit.Topic })
        {
            _registry.RequestCount("/subjects/" + topic + "-value").ShouldBe(1, topic);
        }

        // Aggregates: the same releases, field for field; the audit release event hashes the framed value.
        var jsonReleases = cluster.DrainCommitted(json.Options.Aggregates.Topic, TimeSpan.FromSeconds(30));
        var avroReleases = cluster.DrainCommitted(avro.Options.Aggregates.Topic, TimeSpan.FromSeconds(30));
        jsonReleases.Count.ShouldBe(DpPolicies.ScenarioWindows * 3);
        avroReleases.Count.ShouldBe(jsonReleases.Count);
        jsonReleases.ShouldAllBe(r => ContentType(r) == "application/json");
        var expectedReleases = jsonReleases.Select(r => JsonNode.Parse(r.Message.Value)!.AsObject()).OrderBy(ReleaseOrder, StringComparer.Ordinal).ToList();
        var decodedReleases = avroReleases.Select(r => (Record: r, Json: Decode(avro.Options.Aggregates.Topic, r)))
            .OrderBy(d => ReleaseOrder(d.Json), StringComparer.Ordinal).ToList();
        for (var i = 0; i < expectedReleases.Count; i++)
        {
            JsonEquivalence.Difference(expectedReleases[i], decodedReleases[i].Json).ShouldBeNull(ReleaseOrder(expectedReleases[i]));
        }

        // Audit: every event decodes; releases, debits and suppressions (deterministic ids) equal the JSON run's.
        var jsonAudit = cluster.DrainCommitted(json.Options.Audit.Topic, TimeSpan.FromSeconds(30))
            .Select(r => JsonNode.Parse(r.Message.Value)!.AsObject()).ToList();
        var avroAudit = cluster.DrainCommitted(avro.Options.Audit.Topic, TimeSpan.FromSeconds(30))
            .Select(r => Decode(avro.Options.Audit.Topic, r)).ToList();
        avroAudit.Select(e => (string)e["type"]!).Distinct().Order(StringComparer.Ordinal)
            .ShouldBe(jsonAudit.Select(e => (string)e["type"]!).Distinct().Order(StringComparer.Ordinal));
        var expectedById = jsonAudit.Where(e => DeterministicTypes.Contains((string)e["type"]!)).ToDictionary(e => (string)e["id"]!);
        var decodedById = avroAudit.Where(e => DeterministicTypes.Contains((string)e["type"]!)).ToDictionary(e => (string)e["id"]!);
        decodedById.Keys.Order(StringComparer.Ordinal).ShouldBe(expectedById.Keys.Order(StringComparer.Ordinal));
        var releaseHashes = decodedReleases.Select(d => Convert.ToHexStringLower(SHA256.HashData(d.Record.Message.Value!))).ToHashSet();
        foreach (var (id, expected) in expectedById)
        {
            var decoded = decodedById[id];
            if ((string)decoded["type"]! == "io.streammasking.release")
            {
                releaseHashes.ShouldContain((string)decoded["data"]!["payloadSha256"]!);
                expected["data"]!.AsObject().Remove("payloadSha256");
                decoded["data"]!.AsObject().Remove("payloadSha256");
            }

            expected.Remove("time");
            decoded.Remove("time");
            JsonEquivalence.Difference(expected, decoded).ShouldBeNull(id);
        }

        // Policy loads carry the fixture's topic names and a random load id of their own; the rest is the same.
        var jsonLoaded = jsonAudit.First(e => (string)e["type"]! == "io.streammasking.policy.loaded");
        var avroLoaded = avroAudit.First(e => (string)e["type"]! == "io.streammasking.policy.loaded");
        var jsonData = JsonNode.Parse(jsonLoaded["data"]!.ToJsonString().Replace(json.Prefix, "P", StringComparison.Ordinal))!.AsObject();
        var avroData = JsonNode.Parse(avroLoaded["data"]!.ToJsonString().Replace(avro.Prefix, "P", StringComparison.Ordinal))!.AsObject();
        ((string)jsonData["loadId"]!).ShouldMatch("^[0-9a-f]{32}$");
        ((string)avroData["loadId"]!).ShouldMatch("^[0-9a-f]{32}$");
        jsonData.Remove("loadId");
        avroData.Remove("loadId");
        ((int)avroData["part"]!).ShouldBe(1);
        ((int)avroData["parts"]!).ShouldBe(1);
        JsonEquivalence.Difference(jsonData, avroData).ShouldBeNull();
        DeadLettered(avroAudit).ShouldBe(DeadLettered(jsonAudit));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RegistryUnreachableAtFirstRelease_NoReleaseOnTheTopicsUntilItAnswers(bool auditAvro)
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits());
        UseAvro(fixture, aggregates: true, audit: auditAvro);
        fixture.Options.SchemaRegistry.MaxAttempts = 1;
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(DpPolicies.StandardScenario());
        _registry.FailNextRequests(int.MaxValue);

        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        var clock = Stopwatch.StartNew();
        while (pipeline.Counters.Snapshot() is var s && s.Releases == 0
               && (s.Consumed < DpPolicies.ScenarioRecords || s.AbortedTransactions < 5))
        {
            run.IsCompleted.ShouldBeFalse("the pipeline stopped while the registry was down");
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3), DpPipelineFixture.Describe(s));
            await Task.Delay(100);
        }

        // While the registry is down: releases are sealed but none was even produced, committed or not.
        var down = pipeline.Counters.Snapshot();
        down.Releases.ShouldBe(0);
        cluster.DrainUncommitted(fixture.Options.Aggregates.Topic, TimeSpan.FromSeconds(10)).ShouldBeEmpty();
        var auditWhileDown = cluster.DrainUncommitted(fixture.Options.Audit.Topic, TimeSpan.FromSeconds(10));
        if (auditAvro)
        {
            auditWhileDown.ShouldBeEmpty();
        }
        else
        {
            // JSON audit events of transactions without a release commit; no release or debit event does.
            auditWhileDown.Select(r => (string)JsonNode.Parse(r.Message.Value)!["type"]!)
                .ShouldNotContain(t => t == "io.streammasking.release" || t == "io.streammasking.budget.debit");
        }

        _registry.FailNextRequests(0);
        await DpPipelineFixture.WaitAsync(pipeline, run, DpPolicies.ScenarioRecords, DpPolicies.ScenarioWindows * 3);
        await stop.CancelAsync();
        await run;

        var s2 = pipeline.Counters.Snapshot();
        s2.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s2));
        s2.Releases.ShouldBe(DpPolicies.ScenarioWindows * 3);
        var releases = cluster.DrainCommitted(fixture.Options.Aggregates.Topic, TimeSpan.FromSeconds(30));
        releases.Count.ShouldBe(DpPolicies.ScenarioWindows * 3);
        releases.Select(r => ReleaseOrder(Decode(fixture.Options.Aggregates.Topic, r))).Distinct().Count().ShouldBe(releases.Count);
        var audit = cluster.DrainCommitted(fixture.Options.Audit.Topic, TimeSpan.FromSeconds(30))
            .Select(r => auditAvro ? Decode(fixture.Options.Audit.Topic, r) : JsonNode.Parse(r.Message.Value)!.AsObject()).ToList();
        audit.Count(e => (string)e["type"]! == "io.streammasking.release").ShouldBe(releases.Count);
        if (auditAvro)
        {
            audit.Count(e => (string)e["type"]! == "io.streammasking.policy.loaded").ShouldBeGreaterThanOrEqualTo(1);
        }
    }

    private static async Task RunScenarioAsync(DpPipelineFixture fixture)
    {
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(DpPolicies.StandardScenario());
        var s = await DpPipelineFixture.RunUntilAsync(pipeline, DpPolicies.ScenarioRecords, DpPolicies.ScenarioWindows * 3);
        s.Releases.ShouldBe(DpPolicies.ScenarioWindows * 3);
    }

    private void UseAvro(DpPipelineFixture fixture, bool aggregates, bool audit)
    {
        fixture.Options.SchemaRegistry.Url = _registry.Url;
        fixture.Options.Aggregates.Format = aggregates ? OutputFormats.Avro : OutputFormats.Json;
        fixture.Options.Audit.Format = audit ? OutputFormats.Avro : OutputFormats.Json;
    }

    // Unframes one record and decodes it with the schema the registry holds for its id (the subject's latest).
    private JsonObject Decode(string topic, ConsumeResult<byte[]?, byte[]?> record)
    {
        ContentType(record).ShouldBe(AvroContentType);
        var value = record.Message.Value!;
        value[0].ShouldBe((byte)0);
        var id = BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4));
        LatestId(topic).ShouldBe(id);
        return AvroJsonDecoder.Decode(Avro.Schema.Parse(_registry.SchemaById(id)), value.AsSpan(5));
    }

    private int LatestId(string topic)
    {
        using var client = RegistryClients.Create(new SchemaRegistryOptions { Url = _registry.Url });
        return client.GetLatestSchemaAsync(topic + "-value").GetAwaiter().GetResult().Id;
    }

    private static string ContentType(ConsumeResult<byte[]?, byte[]?> record) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes("content-type"));

    private static string ReleaseOrder(JsonObject release) =>
        $"{release["window"]!["index"]}/{release["aggregate"]}/{release["continual"]}";

    private static long DeadLettered(List<JsonObject> audit) => audit
        .Where(e => (string)e["type"]! == "io.streammasking.deadletter.summary")
        .Sum(e => e["data"]!["total"]!.GetValue<long>());
}

using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Hosting;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>
/// <c>key</c> through both stages: masked records keyed by the segment token of a field or of the input key (which
/// crosses the repartition topic in a header), records that cannot give the declared key dead-lettered, and no raw
/// key or id on any output.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class OutputKeyPipelineTests(KafkaCluster cluster)
{
    private const int PerSegment = 30;
    private const int WithoutKey = 4;

    [Fact]
    public async Task RunAsync_KeyedSegments_KeysAreSegmentTokensAndRecordsWithoutTheKeyAreDeadLettered()
    {
        var prefix = "rk" + Guid.NewGuid().ToString("N")[..12];
        var parsed = PolicyLoader.Parse($$"""
            version: "keys-1"
            maskedTopic: "{{prefix}}.masked.{segment}"
            segments:
              - name: by-field
                match: { field: tenant, equals: field }
                key: { field: patient.id }
                fields: { seq: keep, tenant: keep, patient.id: tokenize }
              - name: by-input
                match: { field: tenant, equals: input }
                key: input-key
                fields: { seq: keep, tenant: keep, patient.id: tokenize }
              - name: unkeyed
                match: { field: tenant, equals: none }
                fields: { seq: keep, tenant: keep }
            """, "keys.yaml");
        parsed.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, parsed.Diagnostics));
        var policy = parsed.Policy!;
        var options = TestOptions.For(cluster.BootstrapServers, prefix, "keys.yaml");
        var logs = new CapturingLoggerProvider();
        var factory = logs.CreateFactory();
        using var pipeline = new MaskingPipeline(options, policy, Enumerable.Repeat((byte)42, 32).ToArray(),
            new KafkaClientFactory(options.Kafka, factory.CreateLogger("kafka")), factory, TimeProvider.System);

        var raw = new List<string>();
        var input = new List<Message<byte[]?, byte[]?>>();
        var seq = 0;
        for (var i = 0; i < PerSegment; i++)
        {
            // by-field: the id in the body is the key; by-input: the input key is a patient id, the body has another.
            var fieldId = $"PF-{Guid.NewGuid():N}-{i % 3}";
            var inputKey = $"PK-{Guid.NewGuid():N}";
            raw.Add(fieldId);
            raw.Add(inputKey);
            input.Add(Message(null, Body("field", seq++, i == 0 ? null : fieldId)));
            input.Add(Message(i < WithoutKey ? null : inputKey, Body("input", seq++, "PI-" + i)));
            input.Add(Message("raw-" + inputKey, Body("none", seq++, null)));
        }

        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await cluster.ProduceAsync(options.Pipeline.InputTopics[0], input);
        var snapshot = await PipelineFixture.RunUntilDrainedAsync(pipeline, input.Count);

        // One by-field record has no patient.id, WithoutKey by-input records have no key: dead-lettered, never unkeyed.
        snapshot.Consumed.ShouldBe(input.Count);
        snapshot.DeadLettered.ShouldBe(1 + WithoutKey);
        snapshot.Published.ShouldBe(input.Count - 1 - WithoutKey);
        snapshot.IsBalanced.ShouldBeTrue();
        var deadLetters = cluster.DrainCommitted(options.DeadLetters.Topic, timeout: TimeSpan.FromSeconds(30))
            .Select(d => JsonDocument.Parse(d.Message.Value!).RootElement.Clone()).ToList();
        deadLetters.ShouldAllBe(d => d.GetProperty("reason").GetString() == "schema_mismatch");
        deadLetters.Count(d => d.GetProperty("fieldPath").GetString() == "patient.id").ShouldBe(1);
        deadLetters.Count(d => d.GetProperty("fieldPath").GetString() == "$key").ShouldBe(WithoutKey);

        var byField = cluster.DrainCommitted(policy.FindSegment("by-field")!.MaskedTopic, timeout: TimeSpan.FromSeconds(30));
        byField.Count.ShouldBe(PerSegment - 1);
        foreach (var record in byField)
        {
            // The key is the token the body carries for the same field.
            var token = JsonNode.Parse(record.Message.Value)!["patient"]!["id"]!.GetValue<string>();
            Encoding.UTF8.GetString(record.Message.Key!).ShouldBe(token);
        }

        var byInput = cluster.DrainCommitted(policy.FindSegment("by-input")!.MaskedTopic, timeout: TimeSpan.FromSeconds(30));
        byInput.Count.ShouldBe(PerSegment - WithoutKey);
        byInput.Select(r => Encoding.UTF8.GetString(r.Message.Key!)).ShouldAllBe(k => k.StartsWith("tok_", StringComparison.Ordinal));
        byInput.Select(r => Encoding.UTF8.GetString(r.Message.Key!)).Distinct().Count().ShouldBe(PerSegment - WithoutKey);
        byInput.ShouldAllBe(r => r.Message.Headers.All(h => h.Key != RecordHeaders.SourceKey));

        var unkeyed = cluster.DrainCommitted(policy.FindSegment("unkeyed")!.MaskedTopic, timeout: TimeSpan.FromSeconds(30));
        unkeyed.Count.ShouldBe(PerSegment);
        unkeyed.ShouldAllBe(r => r.Message.Key == null);

        // No raw id or input key on any output: values, keys, headers.
        var outputText = string.Join('\n', byField.Concat(byInput).Concat(unkeyed).Select(r =>
            Encoding.UTF8.GetString(r.Message.Key ?? []) + Encoding.UTF8.GetString(r.Message.Value ?? [])
            + string.Join(',', r.Message.Headers.Select(h => Encoding.UTF8.GetString(h.GetValueBytes() ?? [])))));
        foreach (var value in raw)
        {
            outputText.ShouldNotContain(value);
        }
    }

    [Fact]
    public void Create_InputKeyWhenTheInputIsKeyedBySegment_IsAConfigurationError()
    {
        var policy = PolicyLoader.Parse("""
            version: "keys-2"
            segments:
              - { name: s, match: { all: [] }, key: input-key, fields: { a: keep } }
            """, "keys.yaml").Policy!;
        var options = TestOptions.For(cluster.BootstrapServers, "rk" + Guid.NewGuid().ToString("N")[..12], "keys.yaml");
        options.Pipeline.InputKeyedBySegment = true;
        using var factory = new CapturingLoggerProvider().CreateFactory();

        var error = Should.Throw<StreamMaskingConfigurationException>(() => new MaskingPipeline(options, policy,
            Enumerable.Repeat((byte)42, 32).ToArray(), new KafkaClientFactory(options.Kafka, factory.CreateLogger("kafka")), factory, TimeProvider.System));

        error.Message.ShouldContain("'s' declares key: input-key");
    }

    private static JsonObject Body(string tenant, int seq, string? id)
    {
        var body = new JsonObject { ["tenant"] = tenant, ["seq"] = seq };
        if (id is not null)
        {
            body["patient"] = new JsonObject { ["id"] = id };
        }

        return body;
    }

    private static Message<byte[]?, byte[]?> Message(string? key, JsonObject body) => new()
    {
        Key = key is null ? null : Encoding.UTF8.GetBytes(key),
        Value = Encoding.UTF8.GetBytes(body.ToJsonString()),
    };
}

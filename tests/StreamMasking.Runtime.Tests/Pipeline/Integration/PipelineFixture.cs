using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Hosting;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>One pipeline over GUID-named topics on the shared cluster, with captured logs.</summary>
internal sealed class PipelineFixture
{
    internal const int PerSegment = 40;
    internal const int Unmatched = 10;
    internal const int Malformed = 5;
    internal static readonly string[] Segments = ["alpha", "beta", "gamma"];

    private readonly KafkaCluster _cluster;

    internal PipelineFixture(KafkaCluster cluster, string alphaOutput = "json", string tags = "{}")
    {
        _cluster = cluster;
        Prefix = "rt" + Guid.NewGuid().ToString("N")[..12];
        Policy = TestPolicies.ThreeSegments(Prefix + ".masked", alphaOutput, tags);
        Options = TestOptions.For(cluster.BootstrapServers, Prefix, "test-policy.yaml");
    }

    internal string Prefix { get; }

    internal PrivacyPolicy Policy { get; }

    internal StreamMaskingOptions Options { get; }

    internal CapturingLoggerProvider Logs { get; } = new();

    internal List<string> Canaries { get; } = [];

    internal string InputTopic => Options.Pipeline.InputTopics[0];

    /// <summary>Builds the input: <see cref="PerSegment"/> records per segment, unmatched and malformed ones, each with canaries.</summary>
    internal List<Message<byte[]?, byte[]?>> Input()
    {
        var messages = new List<Message<byte[]?, byte[]?>>();
        var seq = 0;
        foreach (var segment in Segments)
        {
            for (var i = 0; i < PerSegment; i++)
            {
                messages.Add(Json(Record(segment, seq++, i % 5)));
            }
        }

        for (var i = 0; i < Unmatched; i++)
        {
            messages.Add(Json(Record("omega", seq++, i)));
        }

        for (var i = 0; i < Malformed; i++)
        {
            var canary = NewCanary();
            messages.Add(new Message<byte[]?, byte[]?> { Value = Encoding.UTF8.GetBytes($"{{\"tenant\":\"alpha\",\"notes\":\"{canary}\"") });
        }

        // Interleave segments the way a real topic would.
        return messages.OrderBy(m => m.GetHashCode()).ToList();
    }

    internal MaskingPipeline CreatePipeline(Func<string, IRecordProcessor, IRecordProcessor>? decorate = null)
    {
        var factory = Logs.CreateFactory();
        var clients = new KafkaClientFactory(Options.Kafka, factory.CreateLogger("kafka"));
        return new MaskingPipeline(Options, Policy, Enumerable.Repeat((byte)42, 32).ToArray(), clients, factory, TimeProvider.System, decorate);
    }

    internal async Task ProduceInputAsync(MaskingPipeline pipeline, IReadOnlyList<Message<byte[]?, byte[]?>> input)
    {
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await _cluster.ProduceAsync(InputTopic, input);
    }

    /// <summary>Runs until every input record is consumed and nothing is between the stages, then stops gracefully.</summary>
    internal static async Task<PipelineSnapshot> RunUntilDrainedAsync(MaskingPipeline pipeline, int expected)
    {
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var s = pipeline.Counters.Snapshot();
            if (s.Consumed >= expected && s.InFlight == 0)
            {
                break;
            }

            if (run.IsCompleted)
            {
                await run;
                throw new InvalidOperationException("The pipeline stopped before draining.");
            }

            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3), $"not drained: {s}");
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await run;
        return pipeline.Counters.Snapshot();
    }

    internal string MaskedTopic(string segment) => Policy.FindSegment(segment)!.MaskedTopic;

    private JsonObject Record(string tenant, int seq, int patient) => new()
    {
        ["tenant"] = tenant,
        ["seq"] = seq,
        ["notes"] = NewCanary(),
        ["patient"] = new JsonObject
        {
            ["id"] = $"P-{patient}",
            ["name"] = NewCanary(),
            ["ssn"] = NewCanary() + "-6789",
            ["age"] = 20 + patient,
        },
    };

    private string NewCanary()
    {
        var canary = "CANARY" + Guid.NewGuid().ToString("N");
        Canaries.Add(canary);
        return canary;
    }

    private static Message<byte[]?, byte[]?> Json(JsonObject body) =>
        new() { Value = Encoding.UTF8.GetBytes(body.ToJsonString()) };
}

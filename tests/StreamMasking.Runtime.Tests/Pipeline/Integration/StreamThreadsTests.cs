using System.Diagnostics;
using System.Text.Json;
using StreamMasking.Runtime.Hosting;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>
/// Two stream threads per stage in one instance: both threads of each stage own input partitions, and every record
/// is still masked or dead-lettered exactly once, with the single-thread run's accounting.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class StreamThreadsTests(KafkaCluster cluster)
{
    private const int Matched = PipelineFixture.PerSegment * 3;
    private const int Total = Matched + PipelineFixture.Unmatched + PipelineFixture.Malformed;

    [Fact]
    public async Task RunAsync_TwoThreadsPerStage_EveryRecordOnceAndBothThreadsOwnPartitions()
    {
        var fixture = new PipelineFixture(cluster);
        fixture.Options.Pipeline.StreamThreads = 2;
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        // Produce only once thread 1 of each stage holds a partition, so the records really spread over both threads.
        await WaitForAssignmentAsync(fixture, run, "route.1", fixture.InputTopic);
        await WaitForAssignmentAsync(fixture, run, "mask.1", fixture.Options.Pipeline.RepartitionTopic);
        await cluster.ProduceAsync(fixture.InputTopic, fixture.Input());
        await WaitDrainedAsync(pipeline, run);
        await stop.CancelAsync();
        await run;

        var s = pipeline.Counters.Snapshot();
        s.Consumed.ShouldBe(Total);
        s.Published.ShouldBe(Matched);
        s.DeadLettered.ShouldBe(PipelineFixture.Unmatched + PipelineFixture.Malformed);
        s.IsBalanced.ShouldBeTrue();

        var outputs = PipelineFixture.Segments
            .SelectMany(segment => cluster.DrainCommitted(fixture.MaskedTopic(segment), TimeSpan.FromSeconds(30)))
            .Concat(cluster.DrainCommitted(fixture.Options.DeadLetters.Topic, TimeSpan.FromSeconds(30)))
            .ToList();
        var sources = outputs.Select(o => Records.Header(o.Message, RecordHeaders.SourcePartition) + "/"
            + Records.Header(o.Message, RecordHeaders.SourceOffset)).ToList();
        sources.Count.ShouldBe(Total, "no loss and no duplicates for a read_committed consumer");
        sources.Distinct().Count().ShouldBe(Total);

        // The policy is on the audit topic once per instance start, not once per thread.
        cluster.DrainCommitted(fixture.Options.Audit.Topic, TimeSpan.FromSeconds(30))
            .Count(r => JsonDocument.Parse(r.Message.Value!).RootElement.GetProperty("type").GetString() == "io.streammasking.policy.loaded")
            .ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_TwoThreads_SameOutputsAsOneThread()
    {
        var one = await MaskedValuesAsync(streamThreads: 1);
        var two = await MaskedValuesAsync(streamThreads: 2);

        two.ShouldBe(one);
    }

    // What the masked records say, as a sorted multiset: segment, patient token (deterministic under one master
    // secret) and the published field names. The input order and the canaries' text differ between runs.
    private async Task<List<string>> MaskedValuesAsync(int streamThreads)
    {
        var fixture = new PipelineFixture(cluster);
        fixture.Options.Pipeline.StreamThreads = streamThreads;
        using var pipeline = fixture.CreatePipeline();
        await fixture.ProduceInputAsync(pipeline, fixture.Input());
        await PipelineFixture.RunUntilDrainedAsync(pipeline, Total);
        return PipelineFixture.Segments
            .SelectMany(segment => cluster.DrainCommitted(fixture.MaskedTopic(segment), TimeSpan.FromSeconds(30)))
            .Select(o => Canonical(o.Message.Value!))
            .Order(StringComparer.Ordinal).ToList();
    }

    private static string Canonical(byte[] value)
    {
        using var json = JsonDocument.Parse(value);
        var root = json.RootElement;
        return $"{root.GetProperty("tenant").GetString()} {root.GetProperty("patient").GetProperty("id").GetString()} "
            + string.Join(',', root.EnumerateObject().Select(p => p.Name));
    }

    private static async Task WaitForAssignmentAsync(PipelineFixture fixture, Task run, string loop, string topic)
    {
        var line = $"Stage {loop} partitions assigned: {topic}[";
        var clock = Stopwatch.StartNew();
        while (!fixture.Logs.Lines.Any(l => l.Contains(line, StringComparison.Ordinal)))
        {
            if (run.IsCompleted)
            {
                await run;
                throw new InvalidOperationException("The pipeline stopped before its threads were assigned.");
            }

            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(2), $"{loop} never got a partition of {topic}");
            await Task.Delay(100);
        }
    }

    private static async Task WaitDrainedAsync(MaskingPipeline pipeline, Task run)
    {
        var clock = Stopwatch.StartNew();
        while (pipeline.Counters.Snapshot() is var s && (s.Consumed < Total || s.InFlight != 0))
        {
            if (run.IsCompleted)
            {
                await run;
                throw new InvalidOperationException("The pipeline stopped before draining.");
            }

            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3), $"not drained: {s}");
            await Task.Delay(100);
        }
    }
}

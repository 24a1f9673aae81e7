using System.Text.Json;
using System.Text;
using Confluent.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>The whole pipeline against the shared Kafka (the local broker over TCP by default).</summary>
[Collection(KafkaCluster.Collection)]
public sealed class MaskingPipelineTests(KafkaCluster cluster)
{
    private const int Matched = PipelineFixture.PerSegment * 3;
    private const int Total = Matched + PipelineFixture.Unmatched + PipelineFixture.Malformed;

    [Fact]
    public async Task RunAsync_ThreeSegments_EachMaskedTopicHasExactlyItsRecordsAndAccountingBalances()
    {
        var fixture = new PipelineFixture(cluster);
        using var pipeline = fixture.CreatePipeline();
        await fixture.ProduceInputAsync(pipeline, fixture.Input());

        var snapshot = await PipelineFixture.RunUntilDrainedAsync(pipeline, Total);

        snapshot.Consumed.ShouldBe(Total);
        snapshot.Published.ShouldBe(Matched);
        snapshot.DeadLettered.ShouldBe(PipelineFixture.Unmatched + PipelineFixture.Malformed);
        snapshot.IsBalanced.ShouldBeTrue();
        snapshot.DeadLettersByReason["unmatched_segment"].ShouldBe(PipelineFixture.Unmatched);
        snapshot.DeadLettersByReason["malformed_record"].ShouldBe(PipelineFixture.Malformed);

        var outputs = new List<ConsumeResult<byte[]?, byte[]?>>();
        foreach (var segment in PipelineFixture.Segments)
        {
            var records = cluster.DrainCommitted(fixture.MaskedTopic(segment), timeout: TimeSpan.FromSeconds(30));
            records.Count.ShouldBe(PipelineFixture.PerSegment, segment);
            foreach (var record in records)
            {
                Records.Header(record.Message, RecordHeaders.Segment).ShouldBe(segment);
                Records.Header(record.Message, RecordHeaders.PolicyVersion).ShouldBe("test-7");
                using var json = JsonDocument.Parse(record.Message.Value);
                var root = json.RootElement;
                root.GetProperty("tenant").GetString().ShouldBe(segment);
                // Unnamed fields are dropped: sensitive by default.
                root.TryGetProperty("notes", out _).ShouldBeFalse();
                root.GetProperty("patient").TryGetProperty("name", out _).ShouldBeFalse();
                root.GetProperty("patient").GetProperty("ssn").GetString().ShouldEndWith("6789");
                root.GetProperty("patient").GetProperty("ssn").GetString().ShouldStartWith("****");
                root.GetProperty("patient").GetProperty("id").GetString().ShouldNotStartWith("P-");
            }

            outputs.AddRange(records);
        }

        var deadLetters = cluster.DrainCommitted(fixture.Options.DeadLetters.Topic, timeout: TimeSpan.FromSeconds(30));
        deadLetters.Count.ShouldBe(PipelineFixture.Unmatched + PipelineFixture.Malformed);
        deadLetters.Select(d => Records.Header(d.Message, RecordHeaders.DeadLetterReason)).Distinct().Order()
            .ShouldBe(["malformed_record", "unmatched_segment"]);
        outputs.AddRange(deadLetters);

        // Every input offset accounted for exactly once across masked topics and the dead-letter topic.
        var sources = outputs.Select(o => (
            Records.Header(o.Message, RecordHeaders.SourceTopic),
            Records.Header(o.Message, RecordHeaders.SourcePartition),
            Records.Header(o.Message, RecordHeaders.SourceOffset))).ToList();
        sources.Distinct().Count().ShouldBe(Total);
        sources.ShouldAllBe(s => s.Item1 == fixture.InputTopic);

        // Canary leak: no sensitive value reaches any output topic, dead letter or log line.
        var outputText = string.Join('\n', outputs.Select(o => Encoding.UTF8.GetString(o.Message.Value ?? [])
            + string.Join(',', o.Message.Headers.Select(h => Encoding.UTF8.GetString(h.GetValueBytes() ?? [])))));
        var logText = string.Join('\n', fixture.Logs.Lines);
        fixture.Canaries.Count.ShouldBe((Matched + PipelineFixture.Unmatched) * 3 + PipelineFixture.Malformed);
        foreach (var canary in fixture.Canaries)
        {
            outputText.ShouldNotContain(canary);
            logText.ShouldNotContain(canary);
        }

        logText.ShouldContain("Dead-lettered a record: reason unmatched_segment");

        // The audit topic records the policy load and summarises the dead letters (counts only, no contents).
        var audit = cluster.DrainCommitted(fixture.Options.Audit.Topic, timeout: TimeSpan.FromSeconds(30))
            .Select(r => JsonDocument.Parse(r.Message.Value!).RootElement.Clone()).ToList();
        audit.ShouldContain(e => e.GetProperty("type").GetString() == "io.streammasking.policy.loaded");
        audit.Where(e => e.GetProperty("type").GetString() == "io.streammasking.deadletter.summary")
            .Sum(e => e.GetProperty("data").GetProperty("total").GetInt64())
            .ShouldBe(PipelineFixture.Unmatched + PipelineFixture.Malformed);
        var auditText = string.Join('\n', audit.Select(e => e.GetRawText()));
        foreach (var canary in fixture.Canaries)
        {
            auditText.ShouldNotContain(canary);
        }
    }

    [Fact]
    public async Task RunAsync_SamePatientId_TokensJoinInsideSegmentNotAcross()
    {
        var fixture = new PipelineFixture(cluster);
        using var pipeline = fixture.CreatePipeline();
        await fixture.ProduceInputAsync(pipeline, fixture.Input());

        await PipelineFixture.RunUntilDrainedAsync(pipeline, Total);

        // Input patient ids are P-0..P-4 in every segment.
        var tokens = PipelineFixture.Segments.ToDictionary(s => s, s => cluster
            .DrainCommitted(fixture.MaskedTopic(s), timeout: TimeSpan.FromSeconds(30))
            .Select(r => JsonDocument.Parse(r.Message.Value).RootElement.GetProperty("patient").GetProperty("id").GetString()!)
            .Distinct().ToHashSet());
        foreach (var segment in PipelineFixture.Segments)
        {
            tokens[segment].Count.ShouldBe(5, $"five patients in {segment} map to five stable tokens");
        }

        tokens["alpha"].Overlaps(tokens["beta"]).ShouldBeFalse();
        tokens["alpha"].Overlaps(tokens["gamma"]).ShouldBeFalse();
        tokens["beta"].Overlaps(tokens["gamma"]).ShouldBeFalse();
        string.Join('\n', fixture.Logs.Lines).ShouldNotContain(Convert.ToBase64String(Enumerable.Repeat((byte)42, 32).ToArray()));
    }

    [Theory]
    [InlineData("route")]
    [InlineData("mask")]
    public async Task RunAsync_ProcessorFailsMidTransaction_AbortedOutputInvisibleAndRetryIsExactlyOnce(string failingStage)
    {
        var fixture = new PipelineFixture(cluster);
        // One long transaction so the failure lands after outputs were already written into it.
        fixture.Options.Pipeline.BatchMaxRecords = 10_000;
        fixture.Options.Pipeline.BatchMaxInterval = TimeSpan.FromSeconds(3);
        var outputTopics = failingStage == "route"
            ? [fixture.Options.Pipeline.RepartitionTopic, fixture.Options.DeadLetters.Topic]
            : PipelineFixture.Segments.Select(fixture.MaskedTopic).Append(fixture.Options.DeadLetters.Topic).ToArray();
        int Uncommitted() => outputTopics.Sum(t => cluster.DrainUncommitted(t, timeout: TimeSpan.FromSeconds(20)).Count);
        int Committed() => outputTopics.Sum(t => cluster.DrainCommitted(t, timeout: TimeSpan.FromSeconds(20)).Count);

        // Before failing, wait until records of the open transaction are on the broker, so that the abort has
        // something to hide (the client may otherwise still hold them in its send queue).
        void WaitForOpenTransactionOnBroker()
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (Uncommitted() <= Committed())
            {
                clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(50), "open transaction records never reached the broker");
                Thread.Sleep(100);
            }
        }

        var failing = new List<FailOnceProcessor>();
        using var pipeline = fixture.CreatePipeline((stage, inner) =>
        {
            if (stage != failingStage)
            {
                return inner;
            }

            var processor = new FailOnceProcessor(inner, failAt: 60, WaitForOpenTransactionOnBroker);
            failing.Add(processor);
            return processor;
        });
        await fixture.ProduceInputAsync(pipeline, fixture.Input());

        var snapshot = await PipelineFixture.RunUntilDrainedAsync(pipeline, Total);

        failing.ShouldHaveSingleItem().Failed.ShouldBeTrue();
        snapshot.AbortedTransactions.ShouldBeGreaterThanOrEqualTo(1);
        snapshot.Published.ShouldBe(Matched);
        snapshot.IsBalanced.ShouldBeTrue();

        var committed = PipelineFixture.Segments
            .SelectMany(s => cluster.DrainCommitted(fixture.MaskedTopic(s), timeout: TimeSpan.FromSeconds(20)))
            .Concat(cluster.DrainCommitted(fixture.Options.DeadLetters.Topic, timeout: TimeSpan.FromSeconds(20)))
            .ToList();
        var offsets = committed.Select(r => Records.Header(r.Message, RecordHeaders.SourcePartition) + "/" + Records.Header(r.Message, RecordHeaders.SourceOffset)).ToList();
        offsets.Count.ShouldBe(Total, "no loss and no duplicates for a read_committed consumer");
        offsets.Distinct().Count().ShouldBe(Total);

        // The aborted attempt really wrote records: a read_uncommitted reader of the failing stage's output sees them.
        var uncommitted = Uncommitted();
        var committedCount = Committed();
        uncommitted.ShouldBeGreaterThan(committedCount);
    }
}

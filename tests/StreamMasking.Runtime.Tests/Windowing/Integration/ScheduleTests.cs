using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>
/// The window schedule follows the data, not the service's history: an outage is not idleness, a backlog read over
/// several source partitions is merged in timestamp order, and a source partition that lags the others holds the
/// segment's stream time back instead of having its records declared late. Every test counts late records and checks
/// consumed = published + dead-lettered + dropped.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class ScheduleTests(KafkaCluster cluster)
{
    private const int Units = 60;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StoppedLongerThanGraceAndIdleClose_RestartedWithBacklog_NoOnTimeRecordIsLate(bool restoreFromChangelog)
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits(window: "size: 2s, grace: 1s, idleClose: 2s"));
        var seq = 0;
        using (var first = fixture.CreatePipeline())
        {
            await first.ProvisionTopicsAsync(CancellationToken.None);
            await fixture.ProduceAsync(Enumerable.Range(0, 3).Select(_ => Visit(seq, NowSeconds(), seq++)));
            var before = await DpPipelineFixture.RunUntilAsync(first, 3, 0);
            before.LateRecords.ShouldBe(0);
        }

        // The service is down for 8 s (more than grace + idle close) while records keep arriving in real time.
        var outage = Stopwatch.StartNew();
        var backlog = 0;
        while (outage.Elapsed < TimeSpan.FromSeconds(8))
        {
            await fixture.ProduceAsync([Visit(seq, NowSeconds(), seq++)]);
            backlog++;
            await Task.Delay(200);
        }

        // Restarted on its local state, or on an empty state directory: then the engine state is restored from the
        // changelog, and the outage must not count as idle time either way.
        using var emptyState = new State.TempDirectory();
        using var second = restoreFromChangelog ? fixture.CreatePipeline(stateDirectory: emptyState.Path) : fixture.CreatePipeline();
        var s = await DpPipelineFixture.RunUntilAsync(second, backlog, 0);

        s.Consumed.ShouldBe(backlog);
        s.LateRecords.ShouldBe(0, DpPipelineFixture.Describe(s));
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
    }

    [Fact]
    public async Task BacklogOverSixSourcePartitionsKeyedByUnit_CaughtUpFromScratch_NoRecordIsLate()
    {
        // Grace 5 s against a 60-minute backlog: only a timestamp-ordered merge of the source partitions keeps it on time.
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits(window: "size: 1m, grace: 5s"));
        fixture.Options.Topics.Partitions = 6;
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        var input = Backlog().ToList();
        await fixture.ProduceAsync(input);

        var s = await DpPipelineFixture.RunUntilAsync(pipeline, input.Count, 0);

        s.LateRecords.ShouldBe(0, DpPipelineFixture.Describe(s));
        s.DeadLettered.ShouldBe(0);
        s.WindowsSealed.ShouldBeGreaterThanOrEqualTo(55);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
    }

    [Fact]
    public async Task OneSourcePartitionLagsTheOthers_ItsRecordsArriveLater_NoneIsLate()
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits(window: "size: 5m, grace: 5s"));
        fixture.Options.Topics.Partitions = 6;
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        var input = Backlog().ToList();
        // Partition 5 stops after 20 minutes of event time; its last 40 minutes arrive once the others are processed.
        var lagging = input.Where(r => r.Partition == 5 && r.Message.Timestamp.UnixTimestampMs >= DpPipelineFixture.T0 + 1_200_000).ToList();
        var onTime = input.Except(lagging).ToList();
        await fixture.ProduceAsync(onTime);

        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        await DpPipelineFixture.WaitAsync(pipeline, run, onTime.Count, 0);
        await fixture.ProduceAsync(lagging);
        await DpPipelineFixture.WaitAsync(pipeline, run, input.Count, 0);
        await stop.CancelAsync();
        await run;
        var s = pipeline.Counters.Snapshot();

        s.LateRecords.ShouldBe(0, DpPipelineFixture.Describe(s));
        s.DeadLettered.ShouldBe(0);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
    }

    [Fact]
    public async Task OneRecord300HoursAhead_DeadLetteredOutOfRange_SealsNothingAndLaterRecordsAreOnTime()
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits(window: "size: 1h, grace: 5m"));
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        var now = NowSeconds();
        var input = new List<Message<byte[]?, byte[]?>>();
        input.AddRange(Enumerable.Range(0, 3).Select(i => Visit(i, now - 30 + i, input.Count + i)));
        input.Add(Visit(9, now + (300 * 3_600), input.Count));
        input.AddRange(Enumerable.Range(0, 3).Select(i => Visit(i, now - 20 + i, input.Count + i)));
        await fixture.ProduceAsync(input);

        var s = await DpPipelineFixture.RunUntilAsync(pipeline, input.Count, 0);

        s.DeadLettersByReason.ShouldBe(new Dictionary<string, long> { ["timestamp_out_of_range"] = 1 });
        s.LateRecords.ShouldBe(0, DpPipelineFixture.Describe(s));
        // At most the window that was open at the start can have closed in real time meanwhile.
        s.WindowsSealed.ShouldBeLessThanOrEqualTo(1, DpPipelineFixture.Describe(s));
        s.Published.ShouldBe(6);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
        // The dead letter names its reason, and the audit topic's dead-letter summary counts it like any other.
        fixture.DeadLetters().Select(r => JsonDocument.Parse(r.Message.Value!).RootElement.GetProperty("reason").GetString())
            .ShouldBe(["timestamp_out_of_range"]);
        fixture.AuditEvents().Where(e => e.GetProperty("type").GetString() == "io.streammasking.deadletter.summary")
            .Sum(e => e.GetProperty("data").GetProperty("byReason").TryGetProperty("timestamp_out_of_range", out var n) ? n.GetInt64() : 0)
            .ShouldBe(1);
    }

    [Fact]
    public async Task QuietSegment_InputEndsWithAnAbortedTransaction_StillCaughtUpAndIdleCloseReleases()
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits(window: "size: 2s, grace: 0s, idleClose: 1s"));
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(Enumerable.Range(0, 3).Select(i => Visit(i, NowSeconds(), i)));
        // Aborted records and the abort marker follow: the consumer never returns them, yet the partition is read to its end.
        using (var aborted = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig(c =>
               {
                   c.TransactionalId = $"aborted-{Guid.NewGuid():N}";
                   c.EnableIdempotence = true;
               })).Build())
        {
            aborted.InitTransactions(TimeSpan.FromSeconds(30));
            aborted.BeginTransaction();
            for (var i = 0; i < 2; i++)
            {
                await aborted.ProduceAsync(new TopicPartition(fixture.InputTopic, 0), Visit(i, NowSeconds(), 10 + i));
            }

            aborted.AbortTransaction(TimeSpan.FromSeconds(30));
        }

        var s = await DpPipelineFixture.RunUntilAsync(pipeline, 3, 3);

        s.WindowsSealed.ShouldBeGreaterThanOrEqualTo(1);
        s.LateRecords.ShouldBe(0);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
    }

    [Fact]
    public async Task InputHoldsAnOpenTransaction_LongerThanIdleClose_NotIdleAndItsRecordsAreOnTimeWhenCommitted()
    {
        // While a producer's transaction is open on the input, stage route is not caught up (records may still arrive):
        // the mask stage, with nothing to read, must not count that time as idleness.
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits(window: "size: 2s, grace: 0s, idleClose: 1s"));
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        var start = NowSeconds();

        // The transaction opens before the pipeline starts, so however slowly the machine runs, it is open from before
        // the window's end until after end + idle close.
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig(c =>
        {
            c.TransactionalId = $"slow-{Guid.NewGuid():N}";
            c.EnableIdempotence = true;
        })).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        producer.BeginTransaction();
        for (var i = 0; i < 3; i++)
        {
            await producer.ProduceAsync(new TopicPartition(fixture.InputTopic, 0), Visit(10 + i, start, 10 + i));
        }

        await fixture.ProduceAsync(Enumerable.Range(0, 3).Select(i => (1, Visit(i, start, i))));
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        await DpPipelineFixture.WaitAsync(pipeline, run, 3, 0);

        // Keep it open until wall time is past their window's end + idle close, with ticks to spare.
        var clock = Stopwatch.StartNew();
        while (NowSeconds() < start + 6)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(1));
            await Task.Delay(100);
        }

        pipeline.Counters.Snapshot().WindowsSealed.ShouldBe(0, "the open transaction holds the segment's windows open");
        producer.CommitTransaction(TimeSpan.FromSeconds(30));
        await DpPipelineFixture.WaitAsync(pipeline, run, 6, 0);
        await stop.CancelAsync();
        await run;
        var s = pipeline.Counters.Snapshot();

        s.LateRecords.ShouldBe(0, DpPipelineFixture.Describe(s));
        s.Published.ShouldBe(6);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
    }

    // 1,200 visits, one every 3 s of event time over 60 minutes, by 60 patients; each patient's records go to the
    // partition of its key (patient mod 6), in time order, as a producer keyed by unit writes them.
    private static IEnumerable<(int Partition, Message<byte[]?, byte[]?> Message)> Backlog()
    {
        for (var i = 0; i < 1_200; i++)
        {
            var patient = i % Units;
            yield return (patient % 6, Visit(patient, i * 3, i));
        }
    }

    private static double NowSeconds() => (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - DpPipelineFixture.T0) / 1000.0;

    private static Message<byte[]?, byte[]?> Visit(int patient, double secondsAfterT0, int seq) => DpPipelineFixture.Event("visit", secondsAfterT0,
        new JsonObject
        {
            ["seq"] = seq, ["tenant"] = "a", ["patient"] = new JsonObject { ["id"] = "P" + patient }, ["visit"] = new JsonObject { ["cost"] = 10 },
        });
}

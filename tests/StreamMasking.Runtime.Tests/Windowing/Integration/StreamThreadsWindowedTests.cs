using System.Diagnostics;
using Confluent.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>
/// DP windows with two stream threads per stage: the mask threads of an instance own disjoint repartition partitions
/// (and so disjoint state stores), and a partition moving between threads or instances restores from its changelog.
/// Releases are compared byte for byte with a single-thread, single-instance run of the same input.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class StreamThreadsWindowedTests(KafkaCluster cluster)
{
    private static readonly string[] Tenants = ["a", "b", "c"];

    // Lifetime ε 3 per segment: each of the three tenants' segments suppresses three releases.
    private static readonly Func<string, string> Policy = DpPolicies.Visits(lifetimeEpsilon: 3, tenants: Tenants);

    private static List<Message<byte[]?, byte[]?>> Input() =>
        Tenants.SelectMany((t, i) => DpPolicies.StandardScenario(t, i * 100)).ToList();

    [Fact]
    public async Task RunAsync_TwoThreads_ReleasesEqualOneThreadsAndEveryRecordOnce()
    {
        var input = Input();
        var reference = await RunAsync(input, streamThreads: 1);

        var (s, releases, masked) = await RunAsync(input, streamThreads: 2);

        releases.ShouldBe(reference.Releases);
        s.Consumed.ShouldBe(input.Count);
        s.Published.ShouldBe(reference.Snapshot.Published);
        s.DeadLettered.ShouldBe(reference.Snapshot.DeadLettered);
        s.Dropped.ShouldBe(reference.Snapshot.Dropped);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
        s.Suppressions.ShouldBe(9);
        s.EpsilonChargedBySegment.Values.Sum().ShouldBe(9.0, 1e-9);
        masked.Count.ShouldBe(masked.Distinct().Count(), "no record published twice");
        masked.Count.ShouldBe(reference.Masked.Count);
    }

    [Fact]
    public async Task TwoInstancesTwoThreads_FirstStopsMidRun_NothingLostNothingReleasedTwiceNoOverspend()
    {
        var input = Input();
        var reference = await RunAsync(input, streamThreads: 1);

        using var fixture = new DpPipelineFixture(cluster, Policy);
        using var secondState = new State.TempDirectory();
        using var a = fixture.CreatePipeline(instanceId: "a", streamThreads: 2);
        await a.ProvisionTopicsAsync(CancellationToken.None);
        using var stopA = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await fixture.ProduceAsync(input.Take(20));
        await DpPipelineFixture.WaitAsync(a, runA, 20, 0);

        using var b = fixture.CreatePipeline(instanceId: "b", stateDirectory: secondState.Path, streamThreads: 2);
        using var stopB = new CancellationTokenSource();
        var runB = b.RunAsync(stopB.Token);
        await fixture.ProduceAsync(input.Skip(20).Take(15));
        await WaitForAsync(() => a.Counters.Snapshot().Consumed + b.Counters.Snapshot().Consumed >= 35, runA, runB);
        await stopA.CancelAsync();
        await runA;

        await fixture.ProduceAsync(input.Skip(35));
        await WaitForAsync(() =>
        {
            var (sa, sb) = (a.Counters.Snapshot(), b.Counters.Snapshot());
            return sa.Consumed + sb.Consumed >= input.Count && sa.InFlight + sb.InFlight == 0
                && sa.Releases + sa.Suppressions + sb.Releases + sb.Suppressions >= reference.Snapshot.Releases + reference.Snapshot.Suppressions;
        }, runB);
        await stopB.CancelAsync();
        await runB;

        var (x, y) = (a.Counters.Snapshot(), b.Counters.Snapshot());
        fixture.ReleaseTexts().ShouldBe(reference.Releases);
        (x.Suppressions + y.Suppressions).ShouldBe(9);
        (x.EpsilonChargedBySegment.Values.Sum() + y.EpsilonChargedBySegment.Values.Sum()).ShouldBe(9.0, 1e-9);
        var masked = MaskedSources(fixture);
        masked.Count.ShouldBe(masked.Distinct().Count(), "no record published twice");
        masked.Order(StringComparer.Ordinal).ShouldBe(reference.Masked.Order(StringComparer.Ordinal), "nothing lost");
    }

    private async Task<(Diagnostics.PipelineSnapshot Snapshot, List<string> Releases, List<string> Masked)> RunAsync(
        List<Message<byte[]?, byte[]?>> input, int streamThreads)
    {
        using var fixture = new DpPipelineFixture(cluster, Policy);
        using var pipeline = fixture.CreatePipeline(streamThreads: streamThreads);
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        if (streamThreads > 1)
        {
            // The segments' keys land on repartition partitions 0 (visits), 1 (visits-c) and 2 (visits-b): once the
            // second mask thread holds one, both threads keep window state.
            await WaitForAssignmentAsync(fixture, run, "mask.1", fixture.Options.Pipeline.RepartitionTopic);
        }

        await fixture.ProduceAsync(input);
        // 5 windows × 3 aggregates (count, continual count, sum) per tenant, released or suppressed.
        await DpPipelineFixture.WaitAsync(pipeline, run, input.Count, 15 * Tenants.Length);
        await stop.CancelAsync();
        await run;
        return (pipeline.Counters.Snapshot(), fixture.ReleaseTexts(), MaskedSources(fixture));
    }

    private static async Task WaitForAssignmentAsync(DpPipelineFixture fixture, Task run, string loop, string topic)
    {
        var line = $"Stage {loop} partitions assigned: {topic}[";
        await WaitForAsync(() => fixture.Logs.Lines.Any(l => l.Contains(line, StringComparison.Ordinal)), run);
    }

    // The source coordinates of every committed masked record of the windowed segments.
    private static List<string> MaskedSources(DpPipelineFixture fixture) =>
        Tenants.Select(t => t == "a" ? "visits" : "visits-" + t)
            .SelectMany(fixture.Masked)
            .Select(r => Support.Records.Header(r.Message, RecordHeaders.SourcePartition) + "/"
                + Support.Records.Header(r.Message, RecordHeaders.SourceOffset))
            .ToList();

    private static async Task WaitForAsync(Func<bool> condition, params Task[] runs)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (runs.FirstOrDefault(r => r.IsCompleted) is { } stopped)
            {
                await stopped;
                throw new InvalidOperationException("A pipeline stopped early.");
            }

            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3));
            await Task.Delay(100);
        }
    }
}

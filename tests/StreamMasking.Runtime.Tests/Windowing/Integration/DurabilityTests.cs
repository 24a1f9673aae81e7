using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>
/// Budgets and releases survive restarts, lost state directories, injected aborts, replays and rebalances: each
/// scenario's committed releases are compared byte for byte with an uninterrupted reference run of the same input
/// (noise is keyed by the mechanism and its parameters, the spec's content hash, segment, owning input partition,
/// aggregate and window under the same master secret, never by topic or policy version string).
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class DurabilityTests(KafkaCluster cluster)
{
    // Lifetime ε 3 runs out in window 3: a restored ledger keeps suppressing there, a reset one would not.
    private static readonly Func<string, string> Limited = DpPolicies.Visits(lifetimeEpsilon: 3);

    [Fact]
    public async Task SmallLifetimeCap_SuppressesExactlyTheReleasesBeyondIt_WithAuditEvents()
    {
        using var fixture = new DpPipelineFixture(cluster, Limited);
        var s = await RunScenarioAsync(fixture);

        // Debit order per window: count 0.5, continual count (0.5 in its first window only), sum 0.25.
        // Windows 0–2 spend 1.25 + 0.75 + 0.75 = 2.75; window 3: count would reach 3.25 (suppressed), sum reaches 3.0;
        // window 4: count and sum suppressed; continual totals cost nothing after their first window.
        s.Releases.ShouldBe(12);
        s.Suppressions.ShouldBe(3);
        s.SuppressionsByReason.ShouldBe(new Dictionary<string, long> { ["lifetime_cap_exceeded"] = 3 });
        s.EpsilonChargedBySegment["visits"].ShouldBe(3.0, 1e-12);

        var audit = fixture.AuditEvents();
        var suppressed = audit.Where(e => e.GetProperty("type").GetString() == "io.streammasking.release.suppressed").ToList();
        suppressed.Count.ShouldBe(3);
        suppressed.ShouldAllBe(e => e.GetProperty("data").GetProperty("reason").GetString() == "lifetime_cap_exceeded");
        var releases = fixture.Releases();
        releases.Count.ShouldBe(12);
        var window3 = (DpPipelineFixture.T0 / 60_000) + 3;
        releases.ShouldNotContain(r => r.GetProperty("window").GetProperty("index").GetInt64() >= window3
            && r.GetProperty("aggregate").GetString() == "visits" && !r.GetProperty("continual").GetBoolean());

        // The ledger total equals the sum of the costs of what was released (ε of each charged release).
        var charged = audit.Where(e => e.GetProperty("type").GetString() == "io.streammasking.budget.debit")
            .Sum(e => e.GetProperty("data").GetProperty("charged").GetProperty("epsilon").GetDouble());
        charged.ShouldBe(3.0, 1e-12);
    }

    [Fact]
    public async Task StopMidStream_StateDirectoryDeleted_RestoresLedgerAndCountersFromChangelog()
    {
        var reference = await ReferenceAsync(Limited);
        using var fixture = new DpPipelineFixture(cluster, Limited);
        var input = DpPolicies.StandardScenario();

        await RunFirstElevenAsync(fixture, input);

        Directory.Delete(fixture.StateDirectory.Path, recursive: true);
        await fixture.ProduceAsync(input.Skip(11));
        using var second = fixture.CreatePipeline();
        var s = await DpPipelineFixture.RunUntilAsync(second, input.Count - 11, 9);

        s.StoresRestored.ShouldBeGreaterThan(0);
        s.RecordsRestored.ShouldBeGreaterThan(0);
        // Budget not reset: window 3 and 4 are still suppressed exactly as in the uninterrupted run.
        s.Suppressions.ShouldBe(3);
        fixture.ReleaseTexts().ShouldBe(reference);
    }

    [Fact]
    public async Task PolicyContentChangedMidStream_LedgerCarriesOverAndClosedWindowsStayClosed()
    {
        using var fixture = new DpPipelineFixture(cluster, Limited);
        var input = DpPolicies.StandardScenario();
        await RunFirstElevenAsync(fixture, input);

        // Version 2 changes DP content (lifetime ε 3 → 3.01): the explicit policy transition. Its windows start after
        // the old stream time (186 s, window 3), and its releases are paid from the same ledger: windows 0 and 1
        // spent 2.0 of the lifetime ε under version 1.
        await fixture.ProduceAsync(input.Skip(11));
        using var second = fixture.CreatePipeline(policy: fixture.ParsePolicy(DpPolicies.Visits(lifetimeEpsilon: 3.01, version: "dp-test-2")));
        var s = await DpPipelineFixture.RunUntilAsync(second, input.Count - 11, 3);

        // Window 4 is the first of version 2: count 0.5 + new continual 0.5 = 3.0; the sum (0.25) no longer fits.
        // The continual counter starts anew (new content, new incarnation) and is charged anew.
        s.EpsilonChargedBySegment["visits"].ShouldBe(1.0, 1e-12);
        s.SuppressionsByReason.ShouldBe(new Dictionary<string, long> { ["lifetime_cap_exceeded"] = 1 });
        var v2 = fixture.Releases().Where(r => r.GetProperty("policyVersion").GetString() == "dp-test-2").ToList();
        v2.ShouldAllBe(r => r.GetProperty("window").GetProperty("index").GetInt64() == (DpPipelineFixture.T0 / 60_000) + 4);
        v2.Count.ShouldBe(2);
        // The late record (30 s) and the window-3 records of the new run are late under version 2 as well.
        s.LateRecords.ShouldBe(1);
        fixture.Logs.Lines.ShouldContain(l => l.Contains("written under another policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PolicyRollbackV1V2V1_RestoredV1CounterIsANewIncarnationChargedAnew()
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits());
        var input = DpPolicies.StandardScenario();
        await RunFirstElevenAsync(fixture, input);

        // v2 changes DP content (lifetime ε 100 → 99): window 4 is released under it with its own counter.
        await fixture.ProduceAsync(input.Skip(11));
        using (var second = fixture.CreatePipeline(policy: fixture.ParsePolicy(DpPolicies.Visits(lifetimeEpsilon: 99, version: "dp-test-2"))))
        {
            await DpPipelineFixture.RunUntilAsync(second, input.Count - 11, 3);
        }

        // Back to v1 (same content, same version string as the first run): its counter must not continue, or restart
        // under, the first v1 counter's identity; it starts a new incarnation, charged anew. Window 5 holds the v2
        // stream time (320 s) and stays closed, so v1 releases windows 6 and 7.
        await fixture.ProduceAsync([Visit(400, 100), Visit(470, 101), Visit(540, 102)]);
        using (var third = fixture.CreatePipeline())
        {
            var s = await DpPipelineFixture.RunUntilAsync(third, 3, 6);
            s.Suppressions.ShouldBe(0);
            s.EpsilonChargedBySegment["visits"].ShouldBe((2 * 0.75) + 0.5, 1e-12);
        }

        var v1Totals = fixture.Releases()
            .Where(r => r.GetProperty("continual").GetBoolean() && r.GetProperty("policyVersion").GetString() == "dp-test-1")
            .Select(r => (Window: r.GetProperty("window").GetProperty("index").GetInt64() - (DpPipelineFixture.T0 / 60_000),
                Step: r.GetProperty("step").GetInt64(), Value: r.GetProperty("value").GetDouble()))
            .ToList();
        v1Totals.Select(t => (t.Window, t.Step)).ShouldBe([(0L, 1L), (1L, 2L), (6L, 1L), (7L, 2L)]);

        // Step 1 of both v1 counters has the true total 1 (window 0: P1 once; window 6: P9): replayed noise would give
        // the same output.
        v1Totals[2].Value.ShouldNotBe(v1Totals[0].Value);
        fixture.Logs.Lines.ShouldContain(l => l.Contains("were bound to other policy content", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopMidStream_ContinualStateLost_RunningTotalsRefusedUntilTheOperatorStartsNewCounters()
    {
        // A roomy lifetime budget, so that only the lost state decides what is refused.
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits());
        var input = DpPolicies.StandardScenario();
        await RunFirstElevenAsync(fixture, input);

        // Lose the counter state only: the local directory goes and its changelog record is deleted (tombstone), while
        // the ledger and the started marker survive. A fresh counter here would start under the identity that already
        // released windows 0 and 1, and replay its noise on other prefix sums.
        Directory.Delete(fixture.StateDirectory.Path, recursive: true);
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig()).Build())
        {
            var changelog = Runtime.State.ChangelogTopics.NameFor(fixture.Options.Pipeline.ConsumerGroupId, Runtime.Windowing.WindowedSegments.StoreName);
            await producer.ProduceAsync(new TopicPartition(changelog, 0),
                new Message<byte[]?, byte[]?> { Key = Runtime.Windowing.StateKeys.Continual("visits"), Value = null });
        }

        await fixture.ProduceAsync(input.Skip(11));
        using (var second = fixture.CreatePipeline())
        {
            var s = await DpPipelineFixture.RunUntilAsync(second, input.Count - 11, 9);

            // Windows 2–4: every running total is suppressed (audited and counted); count and sum are paid as before.
            s.SuppressionsByReason.ShouldBe(new Dictionary<string, long> { ["continual_state_lost"] = 3 });
        }

        var window2 = (DpPipelineFixture.T0 / 60_000) + 2;
        fixture.Releases().ShouldNotContain(r => r.GetProperty("continual").GetBoolean() && r.GetProperty("window").GetProperty("index").GetInt64() >= window2);
        fixture.AuditEvents().Count(e => e.GetProperty("type").GetString() == "io.streammasking.release.suppressed"
            && e.GetProperty("data").GetProperty("reason").GetString() == "continual_state_lost").ShouldBe(3);
        fixture.Logs.Lines.ShouldContain(l => l.Contains("continual counter state is missing or unreadable", StringComparison.Ordinal));

        // The operator's explicit action: a new incarnation for windows 5 and 6, charged anew (0.5) and counted from 1.
        fixture.Options.State.StartNewContinualCounters.Add("visits");
        await fixture.ProduceAsync([Visit(330, 100), Visit(400, 101), Visit(470, 102)]);
        using (var third = fixture.CreatePipeline())
        {
            var s = await DpPipelineFixture.RunUntilAsync(third, 3, 6);
            s.Suppressions.ShouldBe(0);
            s.EpsilonChargedBySegment["visits"].ShouldBe((2 * 0.75) + 0.5, 1e-12);
        }

        var window5 = (DpPipelineFixture.T0 / 60_000) + 5;
        fixture.Releases().Where(r => r.GetProperty("continual").GetBoolean() && r.GetProperty("window").GetProperty("index").GetInt64() >= window5)
            .Select(r => r.GetProperty("step").GetInt64()).ShouldBe([1, 2]);
        fixture.Logs.Lines.ShouldContain(l => l.Contains("the operator started new ones", StringComparison.Ordinal));
    }

    // A visit of patient P9 after the standard scenario (whose last window-closing record is at 320 s).
    private static Message<byte[]?, byte[]?> Visit(double at, int seq) => DpPipelineFixture.Event("visit", at, new System.Text.Json.Nodes.JsonObject
    {
        ["seq"] = seq,
        ["tenant"] = "a",
        ["patient"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "CANARY-P9" },
        ["visit"] = new System.Text.Json.Nodes.JsonObject { ["cost"] = 100 },
    });

    [Fact]
    public async Task AbortBetweenSealAndRelease_Retried_ReleasesAreByteIdentical()
    {
        var reference = await ReferenceAsync(Limited);
        using var fixture = new DpPipelineFixture(cluster, Limited);
        var calls = 0;
        using var pipeline = fixture.CreatePipeline(faultPoint: point =>
        {
            // The second window's releases were already sent in this transaction when it fails.
            if (point == "release" && Interlocked.Increment(ref calls) == 2)
            {
                throw new InvalidOperationException("injected failure between release and commit");
            }
        });
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(DpPolicies.StandardScenario());

        var s = await DpPipelineFixture.RunUntilAsync(pipeline, DpPolicies.ScenarioRecords, 15);

        s.AbortedTransactions.ShouldBeGreaterThanOrEqualTo(1);
        s.EpsilonChargedBySegment["visits"].ShouldBe(3.0, 1e-12);
        fixture.ReleaseTexts().ShouldBe(reference);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
    }

    [Fact]
    public async Task OffsetsResetToZero_ReplayEmitsNoReleaseAndDebitsNothing()
    {
        using var fixture = new DpPipelineFixture(cluster, Limited);
        // Static members keep their place after stopping; a short session lets the group empty for the reset.
        using (var first = fixture.CreatePipeline(kafkaProperties: new Dictionary<string, string> { ["session.timeout.ms"] = "6000" }))
        {
            await first.ProvisionTopicsAsync(CancellationToken.None);
            await fixture.ProduceAsync(DpPolicies.StandardScenario());
            await DpPipelineFixture.RunUntilAsync(first, DpPolicies.ScenarioRecords, 15);
        }

        var releases = fixture.ReleaseTexts();
        var maskedVisits = fixture.Masked("visits").Count;

        // The input is replayed from the start: the route stage forwards every record again (as new repartition
        // records carrying the original source coordinates).
        ResetOffsets(fixture.Prefix + ".route", fixture.InputTopic, 3);
        using var replay = fixture.CreatePipeline();
        var s = await DpPipelineFixture.RunUntilAsync(replay, DpPolicies.ScenarioRecords, 0);

        s.Consumed.ShouldBe(DpPolicies.ScenarioRecords);
        s.Releases.ShouldBe(0);
        s.Suppressions.ShouldBe(0);
        s.EpsilonChargedBySegment.ShouldBeEmpty();
        // Windowed records are recognised as processed and dropped; the stateless segment re-publishes its 3.
        s.DroppedBySegmentAndReason.ShouldBe(new Dictionary<string, long> { ["visits/already_processed"] = 15 });
        s.Published.ShouldBe(3);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
        fixture.ReleaseTexts().ShouldBe(releases);
        fixture.Masked("visits").Count.ShouldBe(maskedVisits);
    }

    [Fact]
    public async Task SecondInstanceJoinsThenFirstLeaves_NewOwnersRestoreWithoutDoubleSpend()
    {
        string[] tenants = ["a", "b", "c"];
        var policy = DpPolicies.Visits(lifetimeEpsilon: 3, tenants: tenants);
        var input = tenants.SelectMany((t, i) => DpPolicies.StandardScenario(t, i * 100)).ToList();
        var reference = await ReferenceAsync(policy, input, 45);

        using var fixture = new DpPipelineFixture(cluster, policy);
        using var secondState = new State.TempDirectory();
        using var a = fixture.CreatePipeline(instanceId: "a");
        await a.ProvisionTopicsAsync(CancellationToken.None);
        using var stopA = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await fixture.ProduceAsync(input.Take(20));
        await DpPipelineFixture.WaitAsync(a, runA, 20, 0);

        using var b = fixture.CreatePipeline(instanceId: "b", stateDirectory: secondState.Path);
        using var stopB = new CancellationTokenSource();
        var runB = b.RunAsync(stopB.Token);
        await fixture.ProduceAsync(input.Skip(20).Take(15));
        await WaitForAsync(() => a.Counters.Snapshot().Consumed + b.Counters.Snapshot().Consumed >= 35);
        await stopA.CancelAsync();
        await runA;

        await fixture.ProduceAsync(input.Skip(35));
        await WaitForAsync(() =>
        {
            var (sa, sb) = (a.Counters.Snapshot(), b.Counters.Snapshot());
            return sa.Consumed + sb.Consumed >= input.Count && sa.InFlight + sb.InFlight == 0
                && sa.Releases + sa.Suppressions + sb.Releases + sb.Suppressions >= 45;
        });
        await stopB.CancelAsync();
        await runB;

        var (x, y) = (a.Counters.Snapshot(), b.Counters.Snapshot());
        (x.Suppressions + y.Suppressions).ShouldBe(9);
        (x.EpsilonChargedBySegment.Values.Sum() + y.EpsilonChargedBySegment.Values.Sum()).ShouldBe(9.0, 1e-9);
        fixture.ReleaseTexts().ShouldBe(reference);
    }

    /// <summary>
    /// A zombie: instance A stalls in the middle of a release transaction (its releases already sent) for longer
    /// than max.poll.interval.ms, so the group hands its partitions to instance B, which restores and releases the
    /// same windows. When A wakes, its partitions are lost and its transaction is aborted (or fenced at commit by
    /// the group generation): a read_committed consumer sees every release exactly once, byte-identical to an
    /// uninterrupted run, and the budget is charged once.
    /// </summary>
    [Fact]
    public async Task InstanceStallsMidRelease_OtherInstanceTakesOver_ZombieOutputNeverVisible()
    {
        var reference = await ReferenceAsync(Limited);
        using var fixture = new DpPipelineFixture(cluster, Limited);
        var fastEviction = new Dictionary<string, string> { ["max.poll.interval.ms"] = "6000", ["session.timeout.ms"] = "6000" };
        using var stalled = new ManualResetEventSlim();
        var stalls = 0;
        using var a = fixture.CreatePipeline(instanceId: "a", kafkaProperties: fastEviction, faultPoint: point =>
        {
            if (point == "release" && Interlocked.Increment(ref stalls) == 2)
            {
                stalled.Set();
                Thread.Sleep(TimeSpan.FromSeconds(15));
            }
        });
        await a.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(DpPolicies.StandardScenario());
        using var stopA = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await Task.Run(() => stalled.Wait(TimeSpan.FromMinutes(2)).ShouldBeTrue("A never reached its second release"));

        using var secondState = new State.TempDirectory();
        using var b = fixture.CreatePipeline(instanceId: "b", stateDirectory: secondState.Path, kafkaProperties: fastEviction);
        using var stopB = new CancellationTokenSource();
        var runB = b.RunAsync(stopB.Token);
        await WaitForAsync(() => fixture.ReleaseTexts().Count >= reference.Count);
        await stopB.CancelAsync();
        await runB;
        await stopA.CancelAsync();
        try
        {
            await runA;
        }
        catch (StreamMasking.Runtime.Processing.StageStoppedException)
        {
            // A fenced zombie stops; that is the expected end for it.
        }

        fixture.ReleaseTexts().ShouldBe(reference);
        var (x, y) = (a.Counters.Snapshot(), b.Counters.Snapshot());
        (x.EpsilonChargedBySegment.GetValueOrDefault("visits") + y.EpsilonChargedBySegment.GetValueOrDefault("visits")).ShouldBe(3.0, 1e-12);
    }

    private async Task<PipelineSnapshotAndTexts> RunReferenceAsync(Func<string, string> policy,
        List<Message<byte[]?, byte[]?>> input, long releases)
    {
        using var fixture = new DpPipelineFixture(cluster, policy);
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(input);
        var s = await DpPipelineFixture.RunUntilAsync(pipeline, input.Count, releases);
        return new PipelineSnapshotAndTexts(s, fixture.ReleaseTexts());
    }

    private async Task<List<string>> ReferenceAsync(Func<string, string> policy, List<Message<byte[]?, byte[]?>>? input = null,
        long releases = 15) =>
        (await RunReferenceAsync(policy, input ?? DpPolicies.StandardScenario(), releases)).Texts;

    // The scenario's first 11 records, then a graceful stop: windows 0 and 1 are sealed and released (3 releases each).
    private static async Task RunFirstElevenAsync(DpPipelineFixture fixture, List<Message<byte[]?, byte[]?>> input)
    {
        using var first = fixture.CreatePipeline();
        await first.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(input.Take(11));
        await DpPipelineFixture.RunUntilAsync(first, 11, 6);
    }

    private static async Task<Diagnostics.PipelineSnapshot> RunScenarioAsync(DpPipelineFixture fixture)
    {
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(DpPolicies.StandardScenario());
        return await DpPipelineFixture.RunUntilAsync(pipeline, DpPolicies.ScenarioRecords, 15);
    }

    private void ResetOffsets(string group, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(cluster.ConsumerConfig(c => c.GroupId = group)).Build();
        var offsets = Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, 0)).ToList();
        // Like kafka-consumer-groups --reset-offsets, this needs an empty group: a stopped static member stays until
        // its session expires, and meanwhile the commit is refused.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                consumer.Commit(offsets);
                break;
            }
            catch (KafkaException) when (clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(200);
            }
        }

        consumer.Close();
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3));
            await Task.Delay(100);
        }
    }

    private sealed record PipelineSnapshotAndTexts(Diagnostics.PipelineSnapshot Snapshot, List<string> Texts);
}

using System.Text.Json.Nodes;
using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>Idle close, drop policies and the distribution of released counts, through the whole pipeline.</summary>
[Collection(KafkaCluster.Collection)]
public sealed class ReleaseBehaviourTests(KafkaCluster cluster)
{
    [Fact]
    public async Task QuietSegment_IdleCloseOnWallClock_ReleasesWithoutFurtherRecords()
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits(window: "size: 2s, grace: 0s, idleClose: 1s"));
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var at = (now - DpPipelineFixture.T0) / 1000.0;
        string[] patients = ["P1", "P2", "P3"];
        await fixture.ProduceAsync(patients.Select((p, i) => DpPipelineFixture.Event("visit", at,
            new JsonObject { ["seq"] = i, ["tenant"] = "a", ["patient"] = new JsonObject { ["id"] = p }, ["visit"] = new JsonObject { ["cost"] = 5 } })));

        // Nothing else arrives: only wall-clock idleness can close the 2 s window (after 1 s of quiet, stream time
        // advances with the wall clock).
        var s = await DpPipelineFixture.RunUntilAsync(pipeline, 3, 3);

        s.WindowsSealed.ShouldBeGreaterThanOrEqualTo(1);
        var first = fixture.Releases().Where(r => r.GetProperty("window").GetProperty("index").GetInt64() == now / 2_000).ToList();
        first.Select(r => r.GetProperty("aggregate").GetString()).Order(StringComparer.Ordinal).ShouldBe(["cost", "visits", "visits"]);
    }

    [Fact]
    public async Task OverCapDropAndLateDrop_CountedInMetricsButNoExactCountOnTheAuditTopic()
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits(overCap: "drop", late: "drop"));
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(DpPolicies.StandardScenario());

        var s = await DpPipelineFixture.RunUntilAsync(pipeline, DpPolicies.ScenarioRecords, 15);

        s.DroppedBySegmentAndReason.ShouldBe(new Dictionary<string, long>
        {
            ["visits/unit_cap_exceeded"] = 2, ["visits/late_record"] = 1,
        }, ignoreOrder: true);
        s.Dropped.ShouldBe(3);
        // 10 visits (P1's last two dropped) + 3 "other"; dead letters: no patient, timestamp out of range.
        s.Published.ShouldBe(13);
        s.DeadLettered.ShouldBe(2);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
        fixture.Masked("visits").Count.ShouldBe(10);
        // The attack: exact counts of over-cap and late drops on the audit topic tell an observer how many events a
        // unit sent beyond its cap. They are metrics only; no audit event carries them.
        var audit = fixture.AuditEvents();
        audit.ShouldNotContain(e => e.GetProperty("type").GetString() == "io.streammasking.records.dropped");
        audit.Select(e => e.GetRawText()).ShouldAllBe(t => !t.Contains("unit_cap_exceeded") && !t.Contains("late_record"));
    }

    /// <summary>
    /// 300 windows of exactly 4 records each, released as Laplace counts with ε = 0.5: the noise (released − 4)
    /// must follow the discrete Laplace distribution with scale 2, P(k) = (1 − p)/(1 + p)·p^|k|, p = e^(−1/2).
    /// Chi-square goodness of fit over 9 bins (k ≤ −4, −3 … 3, k ≥ 4; every expected count ≥ 16), 8 degrees of
    /// freedom, critical value 31.83 for α = 1e-4. The noise is a deterministic function of the fixed master secret,
    /// so the test cannot flake; for a random secret it would fail with probability 1e-4 when the sampler is right.
    /// </summary>
    [Fact]
    public async Task ReleasedCounts_OverManyWindows_FollowTheDeclaredDiscreteLaplace()
    {
        const int windows = 300;
        const int perWindow = 4;
        using var fixture = new DpPipelineFixture(cluster, prefix => $$"""
            version: "dp-stats-1"
            maskedTopic: "{{prefix}}.{segment}"
            segments:
              - name: stats
                match: { field: type, equals: stat }
                fields: { seq: keep }
                window: { size: 1m }
                budget: { accountant: basic, perWindow: { epsilon: 1 }, lifetime: { epsilon: 1000 } }
                aggregates:
                  - { name: n, kind: count, epsilon: 0.5 }
            """);
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        var input = new List<Message<byte[]?, byte[]?>>();
        for (var w = 0; w < windows; w++)
        {
            for (var i = 0; i < perWindow; i++)
            {
                input.Add(DpPipelineFixture.Event("stat", (w * 60) + i, new JsonObject { ["seq"] = input.Count }));
            }
        }

        input.Add(DpPipelineFixture.Event("stat", windows * 60, new JsonObject { ["seq"] = input.Count }));
        await fixture.ProduceAsync(input);

        await DpPipelineFixture.RunUntilAsync(pipeline, input.Count, windows);

        var releases = fixture.Releases();
        releases.Count.ShouldBe(windows);
        releases.ShouldAllBe(r => r.GetProperty("noiseScale").GetDouble() == 2.0 && r.GetProperty("mechanism").GetString()!.Contains("laplace"));

        // Counts leave on the integer lattice, their interval too, and the release says so.
        releases.ShouldAllBe(r => IsInteger(r.GetProperty("value")) && IsInteger(r.GetProperty("ci").GetProperty("lower"))
            && IsInteger(r.GetProperty("ci").GetProperty("upper")) && r.GetProperty("postProcess")[0].GetString() == "integer");
        var noise = releases.Select(r => (int)r.GetProperty("value").GetDouble() - perWindow).ToList();
        var p = Math.Exp(-0.5);
        double Pmf(int k) => (1 - p) / (1 + p) * Math.Pow(p, Math.Abs(k));
        var tail = Math.Pow(p, 4) / (1 + p);
        var observed = new double[9];
        foreach (var k in noise)
        {
            observed[Math.Clamp(k, -4, 4) + 4]++;
        }

        var expected = Enumerable.Range(-4, 9).Select(k => windows * (Math.Abs(k) == 4 ? tail : Pmf(k))).ToArray();
        expected.Sum().ShouldBe(windows, 1e-6);
        var chiSquare = observed.Zip(expected, (o, e) => (o - e) * (o - e) / e).Sum();
        chiSquare.ShouldBeLessThan(31.83, $"observed {string.Join(',', observed)}; expected {string.Join(',', expected.Select(e => e.ToString("F1")))}");
    }

    private static bool IsInteger(System.Text.Json.JsonElement number) => number.GetDouble() == Math.Floor(number.GetDouble());
}

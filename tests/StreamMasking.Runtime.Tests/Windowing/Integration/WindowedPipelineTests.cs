using System.Text.Json;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>Windows, caps, late records and releases through the whole pipeline, against the shared Kafka.</summary>
[Collection(KafkaCluster.Collection)]
public sealed class WindowedPipelineTests(KafkaCluster cluster)
{
    [Fact]
    public async Task StandardScenario_WindowsCapsLateAndReleases_AllAccountedFor()
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits());
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(DpPolicies.StandardScenario());

        var s = await DpPipelineFixture.RunUntilAsync(pipeline, DpPolicies.ScenarioRecords, DpPolicies.ScenarioWindows * 3);

        // Accounting: every input record is published, dead-lettered or dropped.
        s.Consumed.ShouldBe(DpPolicies.ScenarioRecords);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
        s.Published.ShouldBe(15);
        s.DeadLettersByReason.ShouldBe(new Dictionary<string, long>
        {
            ["schema_mismatch"] = 1, ["late_record"] = 1, ["timestamp_out_of_range"] = 1,
        }, ignoreOrder: true);
        s.LateRecords.ShouldBe(1);
        s.StrippedOverCap.ShouldBe(2);
        s.WindowsSealed.ShouldBe(DpPolicies.ScenarioWindows);
        s.Releases.ShouldBe(DpPolicies.ScenarioWindows * 3);
        s.Suppressions.ShouldBe(0);

        // Per-unit cap: P1's first three events keep the noised cost, the last two are published without it.
        var visits = fixture.Masked("visits").Select(r => JsonDocument.Parse(r.Message.Value!).RootElement).ToList();
        visits.Count.ShouldBe(12);
        var p1 = visits.Where(v => v.GetProperty("seq").GetInt32() < 5).OrderBy(v => v.GetProperty("seq").GetInt32()).ToList();
        p1.Select(v => v.TryGetProperty("visit", out var visit) && visit.TryGetProperty("cost", out _))
            .ShouldBe([true, true, true, false, false]);
        fixture.Masked("other").Count.ShouldBe(3);

        // Every window from the first record's onward is released, the empty window 1 included.
        var releases = fixture.Releases();
        releases.Count.ShouldBe(DpPolicies.ScenarioWindows * 3);
        foreach (var window in Enumerable.Range(0, DpPolicies.ScenarioWindows))
        {
            var index = (DpPipelineFixture.T0 / 60_000) + window;
            var ofWindow = releases.Where(r => r.GetProperty("window").GetProperty("index").GetInt64() == index).ToList();
            ofWindow.Select(r => $"{r.GetProperty("aggregate").GetString()}/{r.GetProperty("continual").GetBoolean()}")
                .Order(StringComparer.Ordinal).ToList().ShouldBe(["cost/False", "visits/False", "visits/True"], $"window {window}");
        }

        releases.ShouldAllBe(r => r.GetProperty("segment").GetString() == "visits" && r.GetProperty("policyVersion").GetString() == "dp-test-1");

        // Audit: the policy load, one release event per release, debits summing to what the counters charged.
        var audit = fixture.AuditEvents();
        audit.Count(e => e.GetProperty("type").GetString() == "io.streammasking.policy.loaded").ShouldBeGreaterThanOrEqualTo(1);
        audit.Count(e => e.GetProperty("type").GetString() == "io.streammasking.release").ShouldBe(releases.Count);
        var debited = audit.Where(e => e.GetProperty("type").GetString() == "io.streammasking.budget.debit").ToList();
        debited.ShouldNotBeEmpty();
        audit.Count(e => e.GetProperty("type").GetString() == "io.streammasking.deadletter.summary").ShouldBeGreaterThanOrEqualTo(1);
        // The continual count is paid once (ε 0.5 in its first window); each window pays its count and sum.
        s.EpsilonChargedBySegment["visits"].ShouldBe(0.5 + ((0.5 + 0.25) * DpPolicies.ScenarioWindows), 1e-9);
        var auditText = string.Join('\n', audit.Select(e => e.GetRawText()));
        // Unit ids never leave in audit events, logs or dead letters.
        auditText.ShouldNotContain("CANARY-");
        string.Join('\n', fixture.Logs.Lines).ShouldNotContain("CANARY-");
        auditText.ShouldNotContain("\"value\"");
    }
}

using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>An exhausted lifetime cap is announced once per segment and process, while every suppression stays audited.</summary>
[Collection(KafkaCluster.Collection)]
public sealed class ExhaustionNoticeTests(KafkaCluster cluster)
{
    [Fact]
    public async Task LifetimeCapExhausted_OverSeveralWindows_LogsOneWarningAndAuditsEverySuppression()
    {
        // Lifetime ε 3 runs out in window 3 (count suppressed) and stays spent in window 4 (count and sum suppressed).
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits(lifetimeEpsilon: 3));
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        await fixture.ProduceAsync(DpPolicies.StandardScenario());
        var s = await DpPipelineFixture.RunUntilAsync(pipeline, DpPolicies.ScenarioRecords, 15);

        s.SuppressionsByReason.ShouldBe(new Dictionary<string, long> { ["lifetime_cap_exceeded"] = 3 });
        var lines = fixture.Logs.Lines;
        lines.Count(l => l.Contains("lifetime budget exhausted", StringComparison.Ordinal)).ShouldBe(1);
        lines.ShouldContain(l => l.StartsWith("Warning ", StringComparison.Ordinal) && l.Contains("Segment visits: lifetime budget exhausted at window ", StringComparison.Ordinal));
        lines.ShouldNotContain(l => l.Contains("suppressed: lifetime_cap_exceeded", StringComparison.Ordinal));
        fixture.AuditEvents().Count(e => e.GetProperty("type").GetString() == "io.streammasking.release.suppressed").ShouldBe(3);
    }
}

using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Reporting;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

/// <summary>The shipped DP sample policy is valid and its risk map is what its comments say.</summary>
public sealed class DpExamplePolicyTests
{
    private static PrivacyPolicy Load()
    {
        var result = PolicyLoader.LoadFile(RepositoryRoot.Of("policies", "examples", "dp.yaml"));
        result.Diagnostics.ShouldBeEmpty(string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }

    [Fact]
    public void DpExample_IsValid_AndDeclaresEveryDpFeature()
    {
        var policy = Load();
        var visits = policy.FindSegment("visits")!.Privacy;
        visits.Aggregates.Select(a => a.KindName).ShouldBe(["count", "sum", "mean", "histogram", "top-k"]);
        visits.Unit!.MaxEventsPerWindow.ShouldBe(4);
        policy.FindSegment("payments")!.Privacy.Budget!.AccountantName.ShouldBe("zcdp");
        visits.Window!.Late.ShouldBe(LateRecordHandling.DeadLetter);
        policy.FindSegment("payments")!.Privacy.Window!.Late.ShouldBe(LateRecordHandling.Drop);
    }

    [Fact]
    public void DpExample_Explain_ShowsEachWindowsLateHandling()
    {
        var lines = PolicyExplainer.Explain(Load());

        lines.ShouldContain("    window 1h, grace 5m, idle close 10m, late records: dead-letter");
        lines.ShouldContain("    window 1h, grace 5m, late records: drop");
    }

    [Fact]
    public void DpExample_RiskMap_MatchesTheComments()
    {
        var map = PolicyExplainer.RiskMaps(Load()).Single(m => m.Segment == "visits");

        // Per event 0.5 + 1 = 1.5; 4 events: 6. Aggregates under replace: 0.2 + 0.2 (continual count) + 0.2 + 2 × 0.1
        // (mean) + 2 × 0.2 (histogram) + 0.1 = 1.3 (under the cap 1 at group size 2), δ (1 + e^0.1)·1e-7 from the
        // gaussian mean as a group of two. Per window ε = 7.3.
        map.PerEvent.Epsilon.ShouldBe(1.5);
        map.PerWindow!.Epsilon.ShouldBe(7.3, 1e-9);
        map.PerWindow.Delta.ShouldBe((1 + Math.Exp(0.1)) * 1e-7, 1e-20);
        map.Lifetime.ShouldBeNull();
    }
}

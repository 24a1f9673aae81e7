using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

/// <summary>Parsed DP declarations map onto the window engine's spec types, which accept them.</summary>
public sealed class AggregationSpecMapperTests
{
    private static PrivacyPolicy Sample() =>
        PolicyLoader.LoadFileOrThrow(RepositoryRoot.Of("policies", "examples", "dp.yaml"));

    [Fact]
    public void Map_DpExampleVisits_IsAValidSpecWithTheDeclaredShape()
    {
        var policy = Sample();
        var spec = AggregationSpecMapper.Map(policy.FindSegment("visits")!, policy.Version)!;

        spec.Validate();
        spec.Segment.ShouldBe("visits");
        spec.PolicyVersion.ShouldBe("dp-1");
        spec.PrivacyUnit.ShouldBe("patient.id");
        spec.Window.Size.ShouldBe(TimeSpan.FromHours(1));
        spec.Window.Grace.ShouldBe(TimeSpan.FromMinutes(5));
        spec.Window.IdleTimeout.ShouldBe(TimeSpan.FromMinutes(10));
        spec.Window.MaxFutureSkew.ShouldBe(StreamMasking.Core.Windowing.WindowSpec.DefaultMaxFutureSkew);
        spec.Aggregates.Select(a => a.Kind).ShouldBe([AggregateKind.Count, AggregateKind.Sum, AggregateKind.Mean, AggregateKind.Histogram, AggregateKind.TopK]);
        spec.Aggregates[0].Continual.ShouldBe(PrivacyCost.Pure(new Epsilon(0.2)));
        spec.Aggregates[1].MaxContributionsPerWindow.ShouldBe(4);
        spec.Aggregates[1].Field.ShouldBe("visit.cost");
        spec.Budget.WindowCap.ShouldBe(PrivacyCost.Approximate(new Epsilon(1), new Delta(1e-6)));
        spec.Budget.CreateLedger().ShouldNotBeNull();
    }

    [Theory]
    [InlineData("basic", "perWindow: { epsilon: 5 }", "lifetime: { epsilon: 50 }", "{ name: n, kind: count, epsilon: 0.5, continual: true, windowsPerUnit: 6 }")]
    [InlineData("zcdp", "perWindow: { rho: 1 }", "lifetime: { rho: 10 }", "{ name: s, kind: sum, field: v, clamp: { min: 0, max: 10 }, epsilon: 0.5, delta: 1e-7, noise: gaussian, continual: true, windowsPerUnit: 3 }")]
    public void Map_WindowsPerUnit_ExplainedCostEqualsWhatTheLedgerIsCharged(string accountant, string perWindow, string lifetime, string aggregate)
    {
        var yaml = $$"""
            version: "w-1"
            segments:
              - name: s
                match: { field: type, equals: x }
                fields: { v: keep }
                privacyUnit: { field: u, maxEventsPerWindow: 1 }
                window: { size: 1m }
                budget: { accountant: {{accountant}}, {{perWindow}}, {{lifetime}} }
                aggregates:
                  - {{aggregate}}
            """;
        var parsed = PolicyLoader.Parse(yaml, "w.yaml");
        parsed.IsValid.ShouldBeTrue(string.Join('\n', parsed.Diagnostics));
        var segment = parsed.Policy!.FindSegment("s")!;
        var declared = segment.Privacy.Aggregates[0];

        var spec = AggregationSpecMapper.Map(segment, "w-1")!;

        spec.Validate();
        spec.Aggregates[0].MaxWindowsPerUnit.ShouldBe(declared.WindowsPerUnit);
        DpCosts.ContinualCost(declared).ShouldBe(ContinualTotals.ChargedCost(spec.Aggregates[0]));
        var single = DpCosts.ContinualCost(declared with { WindowsPerUnit = 1 })!.Value;
        var w = declared.WindowsPerUnit;
        if (accountant == "basic")
        {
            DpCosts.ContinualCost(declared)!.Value.Epsilon.Value.ShouldBe(single.Epsilon.Value * w, 1e-12);
        }
        else
        {
            DpCosts.ContinualCost(declared)!.Value.Rho.Value.ShouldBe(single.Rho.Value * w * w, 1e-12);
        }
    }

    [Fact]
    public void Map_WindowWithMaxFutureSkew_SpecBoundsTimestampsAheadOfTheWallClock()
    {
        var parsed = PolicyLoader.Parse("""
            version: "w-1"
            segments:
              - name: s
                match: { field: type, equals: x }
                fields: { v: keep }
                window: { size: 1m, grace: 10s, maxFutureSkew: 30s }
                budget: { accountant: basic, perWindow: { epsilon: 1 }, lifetime: { epsilon: 10 } }
                aggregates:
                  - { name: n, kind: count, epsilon: 0.5 }
            """, "w.yaml");
        parsed.IsValid.ShouldBeTrue(string.Join('\n', parsed.Diagnostics));

        var window = AggregationSpecMapper.Map(parsed.Policy!.FindSegment("s")!, "w-1")!.Window;

        window.MaxFutureSkew.ShouldBe(TimeSpan.FromSeconds(30));
        window.IsOutOfRange(1_000_030_000, long.MinValue, 1_000_000_000).ShouldBeFalse();
        window.IsOutOfRange(1_000_030_001, long.MinValue, 1_000_000_000).ShouldBeTrue();
    }

    [Fact]
    public void Map_ZcdpGaussianContinual_UsesRho()
    {
        var policy = Sample();
        var spec = AggregationSpecMapper.Map(policy.FindSegment("payments")!, policy.Version)!;

        spec.Validate();
        spec.Budget.Accountant.ShouldBe(AccountantKind.Zcdp);
        spec.Aggregates[0].Continual!.Value.Kind.ShouldBe(PrivacyCostKind.Zcdp);
    }

    [Fact]
    public void Map_AdvancedFilterBudget_CreatesAFilterLedgerWithTheDeclaredSlack()
    {
        var yaml = File.ReadAllText(RepositoryRoot.Of("policies", "examples", "dp.yaml"));
        var filtered = PolicyLoader.Parse(
            yaml.Replace("accountant: basic", "accountant: advanced-filter\n      slack: 1e-7", StringComparison.Ordinal)
                .Replace("perWindow: { epsilon: 1.0, delta: 1e-6 }", "perWindow: { epsilon: 3.0, delta: 1e-6 }", StringComparison.Ordinal),
            "dp.yaml");
        filtered.IsValid.ShouldBeTrue(string.Join('\n', filtered.Diagnostics));

        var spec = AggregationSpecMapper.Map(filtered.Policy!.FindSegment("visits")!, filtered.Policy.Version)!;

        spec.Validate();
        spec.Budget.Accountant.ShouldBe(AccountantKind.AdaptiveFilter);
        var ledger = spec.Budget.CreateLedger();
        ledger.Accountant.ShouldBeOfType<AdaptiveCompositionFilter>().Parameter.ShouldBe(new Delta(1e-7));
    }

    [Fact]
    public void Map_SegmentWithoutAggregates_IsNull() =>
        AggregationSpecMapper.Map(TestPolicies.OneSegment("a: keep").Segments[0], "1").ShouldBeNull();
}

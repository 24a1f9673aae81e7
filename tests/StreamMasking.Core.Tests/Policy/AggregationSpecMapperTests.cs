using StreamMasking.Core.Aggregation;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Tests.Policy;

/// <summary>Parsed DP declarations map onto the window engine's spec types, which accept them.</summary>
public sealed class AggregationSpecMapperTests
{
    private static PrivacyPolicy Sample() =>
        PolicyLoader.LoadFileOrThrow(TestPolicies.RepoPath("policies", "examples", "dp.yaml"));

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
        spec.Aggregates.Select(a => a.Kind).ShouldBe([AggregateKind.Count, AggregateKind.Sum, AggregateKind.Mean, AggregateKind.Histogram, AggregateKind.TopK]);
        spec.Aggregates[0].Continual.ShouldBe(PrivacyCost.Pure(new Epsilon(0.2)));
        spec.Aggregates[1].MaxContributionsPerWindow.ShouldBe(4);
        spec.Aggregates[1].Field.ShouldBe("visit.cost");
        spec.Budget.WindowCap.ShouldBe(PrivacyCost.Approximate(new Epsilon(1), new Delta(1e-6)));
        spec.Budget.CreateLedger().ShouldNotBeNull();
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
        var yaml = File.ReadAllText(TestPolicies.RepoPath("policies", "examples", "dp.yaml"));
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

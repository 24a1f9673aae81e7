using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Reporting;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

/// <summary>
/// The risk map across segments and time: composition over segments sharing a privacy unit, one neighbouring relation
/// (replace) for every mechanism, the lifetime runway, valid (ε, δ) pairs under the advanced filter, and warnings.
/// </summary>
public sealed class RiskCompositionTests
{
    private static readonly PrivacyPolicy Shared = TestPolicies.Valid("""
        version: "1"
        segments:
          - name: visits
            match: { field: t, equals: v }
            fields: { pid: tokenize }
            privacyUnit: { field: pid, maxEventsPerWindow: 1 }
            window: { size: 1h }
            budget: { perWindow: { epsilon: 1 }, lifetime: { epsilon: 2.05 } }
            aggregates:
              - { name: visits, kind: count, epsilon: 0.5, continual: true }
          - name: payments
            match: { field: t, equals: p }
            fields: { pid: tokenize }
            privacyUnit: { field: pid, maxEventsPerWindow: 1 }
            window: { size: 1h }
            budget: { accountant: zcdp, perWindow: { rho: 2 }, lifetime: { rho: 10 } }
            aggregates:
              - { name: payments, kind: count, epsilon: 1 }
          - name: other-unit
            match: { field: t, equals: o }
            fields: { card: tokenize }
            privacyUnit: { field: card, maxEventsPerWindow: 1 }
            window: { size: 1h }
            budget: { perWindow: { epsilon: 1 }, lifetime: { epsilon: 5 } }
            aggregates:
              - { name: n, kind: count, epsilon: 0.1 }
        """);

    [Fact]
    public void Build_SegmentsSharingAUnitField_AddTheirLossesAcrossAccountants()
    {
        var units = UnitCompositionBuilder.Build(Shared);

        var pid = units.Single(u => u.UnitField == "pid");
        pid.Segments.ShouldBe(["visits", "payments"]);
        pid.CoversEverySegment.ShouldBeTrue();
        var payments = PrivacyRiskMapBuilder.Build(Shared.Segments[1]);

        // visits: count 0.5 + its continual counter 0.5 per window, lifetime 2.05; payments: ρ 0.5 per window and ρ 10
        // over the lifetime, each shown as ε at the segment's reporting δ and added.
        var perWindowRho = ZcdpConversion.ToEpsilon(new Rho(0.5), payments.ReportingDelta).Value;
        var lifetimeRho = ZcdpConversion.ToEpsilon(new Rho(10), payments.ReportingDelta).Value;
        pid.PerWindow!.Value.Epsilon.ShouldBe(1.0 + perWindowRho, 1e-9);
        pid.PerWindow!.Value.Delta.ShouldBe(payments.ReportingDelta.Value);
        pid.Lifetime!.Value.Epsilon.ShouldBe(2.05 + lifetimeRho, 1e-9);
        units.Single(u => u.UnitField == "card").Segments.ShouldBe(["other-unit"]);
    }

    [Fact]
    public void Build_DpSegmentNamingTheUnitWithoutDeclaringIt_IsUnboundedOverEverySegment()
    {
        var policy = TestPolicies.Valid("""
            version: "1"
            segments:
              - name: bounded
                match: { field: t, equals: a }
                fields: { pid: tokenize, cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 10 } } }
                privacyUnit: { field: pid, maxEventsPerWindow: 2 }
                window: { size: 1h }
              - name: unbounded
                match: { field: t, equals: b }
                fields: { pid: tokenize, cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 10 } } }
            """);

        var pid = UnitCompositionBuilder.Build(policy).Single();

        pid.Uncovered.ShouldBe(["unbounded"]);
        pid.CoversEverySegment.ShouldBeFalse();
        pid.PerWindow!.Value.Epsilon.ShouldBe(1.0);
        var lines = PolicyExplainer.Explain(policy);
        lines.ShouldContain(l => l.StartsWith("  over every segment it can appear in: unbounded (unbounded name pid", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{ name: a, kind: count, epsilon: 1 }", 1)]
    [InlineData("{ name: a, kind: top-k, field: d, domain: [x, y], epsilon: 1 }", 1)]
    [InlineData("{ name: a, kind: sum, field: v, clamp: { min: 0, max: 10 }, epsilon: 1 }", 1)]
    [InlineData("{ name: a, kind: sum, field: v, clamp: { min: -5, max: 10 }, epsilon: 1 }", 2)]
    [InlineData("{ name: a, kind: histogram, field: d, domain: [x, y], epsilon: 1 }", 2)]
    [InlineData("{ name: a, kind: mean, field: v, clamp: { min: 0, max: 10 }, epsilon: 1 }", 2)]
    public void Build_AggregateUnderReplace_CostsItsGroupSize(string aggregate, int group)
    {
        var policy = TestPolicies.Valid($$"""
            version: "1"
            segments:
              - name: s
                match: { field: t, equals: a }
                fields: { pid: tokenize }
                privacyUnit: { field: pid, maxEventsPerWindow: 1 }
                window: { size: 1h }
                budget: { perWindow: { epsilon: 5 }, lifetime: { epsilon: 10 } }
                aggregates:
                  - {{aggregate}}
            """);

        var map = PrivacyRiskMapBuilder.Build(policy.Segments[0]);

        map.Aggregates.Single().ReplaceGroupSize.ShouldBe(group);
        map.PerWindow!.Epsilon.ShouldBe(group, 1e-12);
        map.Lifetime!.Epsilon.ShouldBe(10 * group, 1e-12);
    }

    [Fact]
    public void Convert_GroupOfTwo_DoublesEpsilonQuadruplesRhoAndGrowsDelta()
    {
        ReplaceConversion.Convert(PrivacyCost.Pure(new Epsilon(0.3)), 2).Epsilon.Value.ShouldBe(0.6);
        ReplaceConversion.Convert(PrivacyCost.Zcdp(new Rho(0.1)), 2).Rho.Value.ShouldBe(0.4, 1e-15);
        var approximate = ReplaceConversion.Convert(PrivacyCost.Approximate(new Epsilon(1), new Delta(1e-6)), 2);
        approximate.Epsilon.Value.ShouldBe(2);
        approximate.Delta.Value.ShouldBe((1 + Math.E) * 1e-6, 1e-18);
        ReplaceConversion.Convert(PrivacyCost.Pure(new Epsilon(0.3)), 1).Epsilon.Value.ShouldBe(0.3);
    }

    [Fact]
    public void CappedBy_AdvancedFilter_ReportsOneWholeValidPairNotAComponentWiseMix()
    {
        // Σε = 3 exceeds the filter's ε = 1 while Σδ = 1e-7 is below its δ = 1e-5: (1, 1e-7) would be neither the
        // basic bound nor the filter's guarantee.
        var sum = new ComposedCost(AccountantKind.AdaptiveFilter, 3, 1e-7, 0);

        var capped = sum.CappedBy(PrivacyCost.Approximate(new Epsilon(1), new Delta(1e-5)));

        capped.Epsilon.ShouldBe(1);
        capped.Delta.ShouldBe(1e-5);
        var basic = (sum with { Accountant = AccountantKind.Basic }).CappedBy(PrivacyCost.Approximate(new Epsilon(1), new Delta(1e-5)));
        basic.Epsilon.ShouldBe(1);
        basic.Delta.ShouldBe(1e-7);
    }

    [Fact]
    public void Compute_LifetimeCap_LastsTheWindowsItsChargesFit()
    {
        // First window: count 0.5 + continual 0.5 = 1.0; then 0.5 per window: 1.0 + 0.5 + 0.5 = 2.0 ≤ 2.05 < 2.5.
        var runway = LifetimeRunway.Compute(Shared.Segments[0].Privacy);

        runway.FullWindows.ShouldBe(3);
        runway.HasContinual.ShouldBeTrue();
        runway.EveryWindowShort.ShouldBeFalse();
        var line = LifetimeRunway.Describe(runway, TimeSpan.FromHours(1));
        line.ShouldStartWith("lifetime cap lasts 3 window(s) of 1h (3h of event time; empty windows are released too), then");
        line.ShouldContain("lifetime_cap_exceeded");
        line.ShouldContain("continual totals, paid once, keep releasing");
    }

    [Fact]
    public void Compute_FirstWindowExactlyAtTheCap_IsShortByTheLedgersRoundingAndSaysSo()
    {
        // The example's first window costs 0.2 + 0.2 + 0.2 + 0.1 + 0.2 + 0.1 = 1.0 = perWindow; the ledger's sums round
        // up, so its last release does not fit there, as at run time. Later windows (0.8) fit.
        var policy = PolicyLoader.LoadFile(RepositoryRoot.Of("policies", "examples", "dp.yaml")).Policy!;

        var runway = LifetimeRunway.Compute(policy.Segments.Single(s => s.Name == "visits").Privacy);

        runway.FirstWindowShort.ShouldBeTrue();
        runway.EveryWindowShort.ShouldBeFalse();
        LifetimeRunway.Describe(runway, TimeSpan.FromHours(1)).ShouldContain("the first window's releases (continual counters included) exceed the perWindow cap");
    }

    [Fact]
    public void For_NoiseWithoutUnitAndLargeWindowEpsilon_Warns()
    {
        var policy = TestPolicies.Valid("""
            version: "1"
            segments:
              - name: no-unit
                match: { field: t, equals: a }
                fields: { cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 10 } } }
              - name: large
                match: { field: t, equals: b }
                fields: { pid: tokenize, cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 10 } } }
                privacyUnit: { field: pid, maxEventsPerWindow: 3 }
                window: { size: 1h }
              - name: small
                match: { field: t, equals: c }
                fields: { pid: tokenize, cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 10 } } }
                privacyUnit: { field: pid, maxEventsPerWindow: 2 }
                window: { size: 1h }
            """);

        var warnings = PolicyWarnings.For(policy);

        warnings.Count.ShouldBe(2);
        warnings[0].ShouldStartWith("warning: segment no-unit: event-level noise (cost) without a privacyUnit");
        warnings[1].ShouldBe("warning: segment large: worst case per unit per window ε=1.5 exceeds 1");
    }
}

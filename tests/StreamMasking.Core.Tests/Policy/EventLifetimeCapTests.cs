using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Policy.Reporting;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

/// <summary>
/// <c>privacyUnit.lifetime</c>: the per-unit lifetime cap of event-level noise parses in the segment's currency, what
/// one event is charged, and how <c>policy explain</c> (the risk map) states the bound that replaces "unbounded".
/// </summary>
public sealed class EventLifetimeCapTests
{
    private static PrivacyPolicy Policy(string unit, string budget = "", string fields = "cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 100 } }") =>
        TestPolicies.Valid(Yaml(unit, budget, fields));

    private static string Yaml(string unit, string budget, string fields) => $$"""
        version: "1"
        segments:
          - name: s
            match: { all: [] }
            fields:
              pid: tokenize
              {{fields}}
            privacyUnit: {{unit}}
            window: { size: 1h }
        {{(budget.Length == 0 ? "" : "    " + budget + "\n    aggregates: [{ name: n, kind: count, epsilon: 0.5 }]")}}
        """;

    [Fact]
    public void Parse_LifetimeUnderBasic_IsAnEpsilonDeltaCap()
    {
        var unit = Policy("{ field: pid, maxEventsPerWindow: 3, lifetime: { epsilon: 4, delta: 1e-6 } }").Segments[0].Privacy.Unit!;

        unit.EventLifetime.ShouldBe(PrivacyCost.Approximate(new Epsilon(4), new Delta(1e-6)));
        Policy("{ field: pid, maxEventsPerWindow: 3 }").Segments[0].Privacy.Unit!.EventLifetime.ShouldBeNull();
    }

    [Fact]
    public void Parse_LifetimeUnderZcdp_IsStatedInRho()
    {
        var zcdp = "budget: { accountant: zcdp, perWindow: { rho: 1 }, lifetime: { rho: 10 } }";
        var segment = Policy("{ field: pid, maxEventsPerWindow: 2, lifetime: { rho: 2 } }", zcdp).Segments[0];

        segment.Privacy.Unit!.EventLifetime.ShouldBe(PrivacyCost.Zcdp(new Rho(2)));
        // Laplace ε 0.5 as ρ = ε²/2 = 0.125 per event.
        DpCosts.EventLifetimeCharge(segment)!.Value.Rho.Value.ShouldBe(0.125, 1e-15);
    }

    [Theory]
    [InlineData("{ field: pid, maxEventsPerWindow: 3, lifetime: { rho: 1 } }", "", "'rho' caps need accountant zcdp")]
    [InlineData("{ field: pid, maxEventsPerWindow: 3, lifetime: { epsilon: 1 } }",
        "budget: { accountant: zcdp, perWindow: { rho: 1 }, lifetime: { rho: 10 } }", "accountant zcdp caps are stated as 'rho'")]
    [InlineData("{ field: pid, maxEventsPerWindow: 3, lifetime: { epsilon: -1 } }", "", "epsilon")]
    [InlineData("{ field: pid, maxEventsPerWindow: 3, lifetime: { epsilon: 1, events: 4 } }", "", "events")]
    public void Parse_BadLifetime_IsPinpointed(string unit, string budget, string messagePart)
    {
        var errors = TestPolicies.Errors(Yaml(unit, budget, "cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 100 } }"));

        errors.ShouldContain(e => e.Path.StartsWith("segments[0].privacyUnit.lifetime", StringComparison.Ordinal)
            && e.Message.Contains(messagePart, StringComparison.Ordinal), string.Join("\n", errors));
    }

    [Fact]
    public void EventLifetimeCharge_AllNoisedFieldsOfOneEvent_NullWithoutCapOrNoise()
    {
        var both = Policy("{ field: pid, maxEventsPerWindow: 3, lifetime: { epsilon: 4, delta: 1e-5 } }",
            fields: "cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 100 } }\n      wait: { action: gaussian, epsilon: 1, delta: 1e-7, clamp: { min: 0, max: 5 } }").Segments[0];
        var charge = DpCosts.EventLifetimeCharge(both)!.Value;
        charge.Epsilon.Value.ShouldBe(1.5, 1e-15);
        charge.Delta.Value.ShouldBe(1e-7, 1e-22);

        DpCosts.EventLifetimeCharge(Policy("{ field: pid, maxEventsPerWindow: 3 }").Segments[0]).ShouldBeNull();
        DpCosts.EventLifetimeCharge(Policy("{ field: pid, maxEventsPerWindow: 3, lifetime: { epsilon: 4 } }", fields: "x: keep").Segments[0]).ShouldBeNull();
    }

    [Fact]
    public void RiskMap_WithLifetimeCap_LifetimeIsBoundedByTheCapPlusTheAggregates()
    {
        var budget = "budget: { perWindow: { epsilon: 1 }, lifetime: { epsilon: 5 } }";
        var policy = Policy("{ field: pid, maxEventsPerWindow: 3, lifetime: { epsilon: 4 } }", budget);
        var map = PolicyExplainer.RiskMaps(policy).Single();

        // Events: the unit's lifetime cap ε 4; aggregates: the lifetime budget ε 5 (count, group of one): 9.
        map.Lifetime!.Epsilon.ShouldBe(9, 1e-12);
        map.Notes.ShouldNotContain(n => n.Contains("unbounded", StringComparison.Ordinal));
        // ε 4 / ε 0.5 per event = 8 events, 3 per window: at least 2 windows of 1 h.
        map.Notes.ShouldContain(n => n.Contains("admits 8 noised event(s) per unit", StringComparison.Ordinal)
            && n.Contains("at least 2 window(s) ≈ 2h at 3 per window", StringComparison.Ordinal));

        var lines = string.Join("\n", PolicyExplainer.Explain(policy));
        lines.ShouldContain("privacy unit lifetime for event-level noise: ε=4, δ=0 (beyond: noised fields stripped)");
        lines.ShouldContain("worst case per unit over the lifetime (replace relation): ε=9, δ=0");
    }

    [Fact]
    public void RiskMap_UnitWithoutLifetimeCap_StaysUnboundedAndSaysHowToBoundIt()
    {
        var map = PolicyExplainer.RiskMaps(Policy("{ field: pid, maxEventsPerWindow: 3 }")).Single();

        map.Lifetime.ShouldBeNull();
        map.Notes.ShouldContain(n => n.StartsWith("unbounded over the lifetime", StringComparison.Ordinal)
            && n.Contains("declare privacyUnit.lifetime", StringComparison.Ordinal));
    }

    [Fact]
    public void Warnings_NoPrivacyUnit_StillWarnsUnbounded()
    {
        var policy = TestPolicies.Valid("""
            version: "1"
            segments:
              - name: s
                match: { all: [] }
                fields: { cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 100 } } }
            """);

        PolicyWarnings.For(policy).ShouldHaveSingleItem().ShouldContain("without a privacyUnit");
        string.Join("\n", PolicyExplainer.Explain(policy)).ShouldContain("worst case per unit over the lifetime (replace relation): unbounded");
    }
}

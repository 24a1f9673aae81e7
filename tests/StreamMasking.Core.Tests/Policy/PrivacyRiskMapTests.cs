using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Reporting;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

/// <summary>The privacy risk map's numbers, checked against hand computation.</summary>
public sealed class PrivacyRiskMapTests
{
    private static readonly PrivacyPolicy Sample = TestPolicies.Valid("""
        version: "3"
        segments:
          - name: noised
            match: { field: t, equals: a }
            fields:
              cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 100 } }
              smoker: { action: randomized-response, epsilon: 1 }
              pid: tokenize
            privacyUnit: { field: pid, maxEventsPerWindow: 3 }
            window: { size: 1h, grace: 5m }
            budget: { perWindow: { epsilon: 1 }, lifetime: { epsilon: 5 } }
            aggregates:
              - { name: visits, kind: count, epsilon: 0.3 }
              - { name: spend, kind: sum, field: cost, clamp: { min: 0, max: 100 }, epsilon: 0.2, continual: true }
          - name: aggregates-only
            match: { field: t, equals: b }
            fields: { pid: tokenize }
            privacyUnit: { field: pid, maxEventsPerWindow: 1 }
            window: { size: 1h }
            budget: { perWindow: { epsilon: 0.8 }, lifetime: { epsilon: 2 } }
            aggregates:
              - { name: visits, kind: count, epsilon: 0.3 }
              - { name: depts, kind: histogram, field: d, domain: [x, y], epsilon: 0.3 }
          - name: no-unit
            match: { field: t, equals: c }
            fields: { cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 1 } } }
          - name: zcdp
            match: { field: t, equals: d }
            fields: { smoker: { action: randomized-response, epsilon: 0.2 } }
            privacyUnit: { field: pid, maxEventsPerWindow: 2 }
            window: { size: 1h }
            budget: { accountant: zcdp, perWindow: { rho: 2 }, lifetime: { rho: 10 } }
            aggregates:
              - { name: visits, kind: count, epsilon: 1 }
          - name: plain
            match: { field: t, equals: e }
            fields: { pid: tokenize }
          - name: late-drop
            match: { field: t, equals: f }
            fields: { pid: tokenize }
            window: { size: PT90M, grace: 30s, idleClose: 1d, late: drop }
            budget: { perWindow: { epsilon: 1 }, lifetime: { epsilon: 5 } }
            aggregates:
              - { name: visits, kind: count, epsilon: 0.3 }
        """);

    private static PrivacyRiskMap Map(string segment) =>
        PolicyExplainer.RiskMaps(Sample).Single(m => m.Segment == segment);

    [Fact]
    public void Build_RandomizedResponseWithUnit_StatesBothLayersAndTheChangePosterior()
    {
        var note = Map("noised").Notes.Single(n => n.StartsWith("randomized response on smoker", StringComparison.Ordinal));

        // ε_perm defaults to ε = 1: composed per-report ε = ln(p'/q'), p' = p² + q², q' = 2pq, p = e/(1+e); the change
        // posterior bound is e/(1+e).
        note.ShouldContain("each report is charged ε_inst=1 (one report alone reveals at most ε=0.434)");
        note.ShouldContain("at most ε_perm=1, and each further value a further ε_perm");
        note.ShouldContain("posterior at most 0.731");
        Map("no-unit").Notes.ShouldNotContain(n => n.StartsWith("randomized response", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_EventNoiseAndAggregates_ComposesPerWindowAndIsUnboundedOverLifetime()
    {
        var map = Map("noised");

        // Per event: laplace 0.5 + RR 1 = 1.5. Three events per window: 4.5. Aggregates per window: count 0.3 + sum 0.2 +
        // the sum's continual counter 0.2 (charged with the first window) = 0.7, under the 1.0 cap. Total 5.2, δ 0.
        map.Fields.Select(f => (f.Path, f.Action, f.Cost.Epsilon.Value)).ShouldBe([("cost", "laplace", 0.5), ("smoker", "randomized-response", 1.0)]);
        map.PerEvent.Epsilon.ShouldBe(1.5);
        map.PerWindow!.Epsilon.ShouldBe(5.2, 1e-12);
        map.PerWindow.Delta.ShouldBe(0);
        map.Lifetime.ShouldBeNull();
        map.Notes.ShouldContain(n => n.Contains("no lifetime cap", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_AggregatesOnly_PerWindowIsTheWindowCostAndLifetimeIsTheLifetimeCap()
    {
        var map = Map("aggregates-only");

        // Under replace: count 0.3 + histogram 2 × 0.3 = 0.9 per window (under the cap 0.8 at group size 2, 1.6); over
        // the lifetime the ledger caps the add/remove spend at 2, which is 4 under replace.
        map.Fields.ShouldBeEmpty();
        map.Aggregates.Select(a => a.ReplaceGroupSize).ShouldBe([1, 2]);
        map.PerWindow!.Epsilon.ShouldBe(0.9, 1e-12);
        map.Lifetime!.Epsilon.ShouldBe(4);
    }

    [Fact]
    public void Build_NoPrivacyUnit_IsUnboundedWithReason()
    {
        var map = Map("no-unit");
        map.PerEvent.Epsilon.ShouldBe(0.5);
        map.PerWindow.ShouldBeNull();
        map.Lifetime.ShouldBeNull();
        map.Notes.ShouldContain(n => n.Contains("no privacyUnit declared", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_Zcdp_ComposesInRho()
    {
        var map = Map("zcdp");

        // RR ε 0.2 → ρ = 0.02 per event, 2 events → 0.04; Laplace count ε 1 → ρ 0.5; per window ρ = 0.54.
        map.Accountant.ShouldBe("zcdp");
        map.PerWindow!.Rho.ShouldBe(0.54, 1e-12);
        map.Lifetime.ShouldBeNull();
    }

    [Fact]
    public void Explain_PrintsTheRiskMapPerSegment()
    {
        var lines = PolicyExplainer.Explain(Sample);

        lines.ShouldContain("  privacy risk map (accountant basic):");
        lines.ShouldContain("    per event  cost: laplace ε=0.5, δ=0 (replace: the event's presence is public)");
        lines.ShouldContain("    privacy unit: pid, at most 3 noised event(s) per window (beyond: strip-noised-fields)");
        lines.ShouldContain("    per window aggregate spend (sum, laplace): ε=0.2, δ=0; continual counter once ε=0.2, δ=0; add/remove, same under replace");
        lines.ShouldContain("    per window aggregate depts (histogram, laplace): ε=0.3, δ=0; add/remove; under replace ε=0.6, δ=0");
        lines.ShouldContain("    worst case per unit per window (replace relation): ε=5.2, δ=0");
        lines.ShouldContain("    worst case per unit over the lifetime (replace relation): unbounded");
        lines.ShouldContain("    worst case per unit over the lifetime (replace relation): ε=4, δ=0");
        lines.ShouldContain(l => l.StartsWith("    worst case per unit per window (replace relation): ρ=0.54 (ε=", StringComparison.Ordinal));
        lines.ShouldContain("  privacy risk map: no noised fields and no aggregates (no differential privacy in this segment)");
    }

    [Fact]
    public void Explain_WindowLine_ShowsDurationsAndLateHandling()
    {
        var lines = PolicyExplainer.Explain(Sample);

        // Defaults: no idle close, late records dead-lettered.
        lines.ShouldContain("    window 1h, grace 5m, late records: dead-letter");
        lines.ShouldContain("    window 1h, grace 0s, late records: dead-letter");
        lines.ShouldContain("    window 90m, grace 30s, idle close 1d, late records: drop");
        lines.ShouldNotContain(l => l.StartsWith("    window:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(TimeSpan.TicksPerMillisecond * 1500, "1500ms")]
    [InlineData(TimeSpan.TicksPerSecond * 90, "90s")]
    [InlineData(TimeSpan.TicksPerMinute * 10, "10m")]
    [InlineData(TimeSpan.TicksPerHour, "1h")]
    [InlineData(TimeSpan.TicksPerHour * 36, "36h")]
    [InlineData(TimeSpan.TicksPerDay * 2, "2d")]
    [InlineData(1L, "00:00:00.0000001")]
    public void FormatDuration_UsesTheLargestWholeShortFormUnit(long ticks, string expected) =>
        PrivacyRiskMapBuilder.FormatDuration(TimeSpan.FromTicks(ticks)).ShouldBe(expected);
}

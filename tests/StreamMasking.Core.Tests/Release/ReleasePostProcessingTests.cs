using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Testing;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Release;

/// <summary>
/// Releases a consumer can use as is: counts on the integer lattice, declared clamping to the domain, and the
/// interval stated for what is released. Coverage check: over 2,000 windows the 95 % interval must cover the true
/// count at least 95 % − 5σ of the time (σ ≈ 0.49 %), a false-failure probability below 3e-7 for a correct interval.
/// </summary>
public sealed class ReleasePostProcessingTests
{
    private const int Windows = 2000;

    private static readonly BudgetSpec Unlimited = new()
    {
        WindowCap = PrivacyCost.Pure(new Epsilon(100)),
        LifetimeCap = PrivacyCost.Pure(new Epsilon(1e9)),
    };

    [Theory]
    [InlineData(ReleasePostProcessing.None)]
    [InlineData(ReleasePostProcessing.ClampNonNegative)]
    public void Release_Counts_AreIntegersWithIntegerIntervalsThatCoverTheTruth(ReleasePostProcessing declared)
    {
        var spec = Segment([Count() with { PostProcess = declared }], Unlimited);
        var ledger = spec.Budget.CreateLedger();
        var covered = 0;
        for (var i = 0; i < Windows; i++)
        {
            var count = i % 4;
            var release = Release(spec, ledger, i, count);
            var value = release.Value!.Value;
            var ci = release.Interval!.Value;
            value.ShouldBe(Math.Round(value));
            ci.Lower.ShouldBe(Math.Round(ci.Lower));
            ci.Upper.ShouldBe(Math.Round(ci.Upper));
            release.PostProcess.ShouldContain("integer");
            if (declared == ReleasePostProcessing.ClampNonNegative)
            {
                value.ShouldBeGreaterThanOrEqualTo(0);
                ci.Lower.ShouldBeGreaterThanOrEqualTo(0);
                release.PostProcess.ShouldBe(["integer", "clampNonNegative"]);
            }

            covered += ci.Lower <= count && count <= ci.Upper ? 1 : 0;
        }

        ((double)covered / Windows).ShouldBeGreaterThan(0.95 - (5 * Math.Sqrt(0.95 * 0.05 / Windows)));
    }

    [Fact]
    public void Release_SumWithoutDeclaration_KeepsTheLatticeValue_DeclaredInteger_IsRounded()
    {
        var sum = new AggregateSpec
        {
            Name = "visits",
            Kind = AggregateKind.Sum,
            Field = "cost",
            Clamp = new ClampBounds(0, 3),
            Noise = NoiseParameters.Laplace(0.5),
        };
        var plain = Segment([sum], Unlimited);
        var rounded = Segment([sum with { PostProcess = ReleasePostProcessing.IntegerLattice | ReleasePostProcessing.ClampNonNegative }], Unlimited);
        var values = Enumerable.Range(0, 50).Select(i => Release(plain, plain.Budget.CreateLedger(), i, 0, sumValue: 2).Value!.Value).ToList();
        values.ShouldContain(v => v != Math.Round(v));
        Release(plain, plain.Budget.CreateLedger(), 0, 0, 2).PostProcess.ShouldBeEmpty();

        for (var i = 0; i < 50; i++)
        {
            var value = Release(rounded, rounded.Budget.CreateLedger(), i, 0, sumValue: 2).Value!.Value;
            value.ShouldBe(Math.Round(value));
            value.ShouldBeGreaterThanOrEqualTo(0);
        }
    }

    [Fact]
    public void Validate_PostProcessOutsideItsDomain_Rejected()
    {
        var mean = WindowSpecs.AllKinds().Single(a => a.Kind == AggregateKind.Mean);
        Should.Throw<ArgumentException>((mean with { PostProcess = ReleasePostProcessing.ClampNonNegative }).Validate);
        var negativeSum = new AggregateSpec
        {
            Name = "s",
            Kind = AggregateKind.Sum,
            Field = "f",
            Clamp = new ClampBounds(-5, 5),
            Noise = NoiseParameters.Laplace(1),
            PostProcess = ReleasePostProcessing.ClampNonNegative,
        };
        Should.Throw<ArgumentException>(negativeSum.Validate);
        Should.Throw<ArgumentException>((negativeSum with { Clamp = new ClampBounds(0, 2.5), PostProcess = ReleasePostProcessing.IntegerLattice }).Validate);
    }

    [Fact]
    public void Parse_PostProcessKey_MapsOntoTheSpecAndRejectsMisuse()
    {
        var policy = TestPolicies.Valid(Policy("kind: sum, field: cost, clamp: { min: 0, max: 10 }, postProcess: [integer, clampNonNegative]"));
        AggregationSpecMapper.Map(policy.Segments[0], "1")!.Aggregates[0].PostProcess
            .ShouldBe(ReleasePostProcessing.IntegerLattice | ReleasePostProcessing.ClampNonNegative);
        TestPolicies.Valid(Policy("kind: count, postProcess: clampNonNegative"));

        TestPolicies.Errors(Policy("kind: mean, field: cost, clamp: { min: 0, max: 10 }, postProcess: integer"))
            .ShouldContain(d => d.Message.Contains("postProcess", StringComparison.Ordinal));
        TestPolicies.Errors(Policy("kind: sum, field: cost, clamp: { min: -1, max: 10 }, postProcess: clampNonNegative"))
            .ShouldContain(d => d.Message.Contains("clamp min", StringComparison.Ordinal));
        TestPolicies.Errors(Policy("kind: sum, field: cost, clamp: { min: 0, max: 2.5 }, postProcess: integer"))
            .ShouldContain(d => d.Message.Contains("integer clamp", StringComparison.Ordinal));
        TestPolicies.Errors(Policy("kind: count, postProcess: round"));
    }

    private static string Policy(string aggregate) => $$"""
        version: "1"
        segments:
          - name: s
            match: { all: [] }
            fields: { cost: keep }
            window: { size: 1h }
            budget: { perWindow: { epsilon: 5 }, lifetime: { epsilon: 50 } }
            aggregates:
              - { name: a, epsilon: 0.5, {{aggregate}} }
        """;

    private static WindowRelease Release(SegmentAggregationSpec spec, BudgetLedger ledger, long index, long count, double sumValue = 0) =>
        WindowReleaser.Release(
            new SealedWindow(spec.Segment, index, index * 60_000, (index + 1) * 60_000, [new SealedAggregate("visits", spec.Aggregates[0].Kind, count, sumValue, [], 0)]),
            spec, NoiseKey, ledger).Single().Release!;
}

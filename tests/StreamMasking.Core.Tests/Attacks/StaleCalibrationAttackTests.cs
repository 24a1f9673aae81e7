using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Attacks;

/// <summary>
/// Defect 6, the attack that worked: the engine's spec fingerprint (and the counter restore) ignored contribution
/// bound, clamp, ε and windowsPerUnit, so editing <c>maxContributionsPerUnit</c> 1 → 10 without a version bump kept
/// the running total calibrated for 1 (10× under-noised) while its release JSON reported the new parameters.
/// Deterministic: no false failures.
/// </summary>
public sealed class StaleCalibrationAttackTests
{
    private static readonly BudgetSpec Roomy = new()
    {
        WindowCap = PrivacyCost.Pure(new Epsilon(100)),
        LifetimeCap = PrivacyCost.Pure(new Epsilon(10_000)),
    };

    [Fact]
    public void Restore_ContributionBoundEditedWithoutVersionBump_NeverContinuesTheUnderNoisedCounter()
    {
        var one = Spec(perWindow: 1);
        var ten = Spec(perWindow: 10);
        one.PolicyVersion.ShouldBe(ten.PolicyVersion);
        var ledger = one.Budget.CreateLedger(one.ContentHash);
        var totals = new ContinualTotals(one, NoiseKey);
        var before = WindowReleaser.Release(Window(one, 0, 3), one, NoiseKey, ledger, totals)[1].Release!;

        var (restored, outcome) = ContinualRestore.Restore(ten, NoiseKey, totals.ToBytes(), everStarted: true, startNewIncarnation: false);
        outcome.ShouldBe(ContinualRestoreOutcome.Transition);
        Should.Throw<FormatException>(() => ContinualTotals.FromBytes(ten, NoiseKey, totals.ToBytes()));

        var after = WindowReleaser.Release(Window(ten, 1, 3), ten, NoiseKey, ledger, restored)[1].Release!;
        after.NoiseScale.ShouldBe(before.NoiseScale * 10, before.NoiseScale * 1e-9, "the counter is calibrated for the bound it reports");
        after.Step.ShouldBe(1);
    }

    [Theory]
    [InlineData("contributions")]
    [InlineData("epsilon")]
    [InlineData("windowsPerUnit")]
    [InlineData("clamp")]
    public void FromBytes_EngineStateAfterAnyCalibrationEdit_IsNotRestoredAsIs(string edit)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddMinutes(1));
        var sum = new AggregateSpec
        {
            Name = "cost",
            Kind = AggregateKind.Sum,
            Field = "cost",
            Clamp = new Privacy.Mechanisms.ClampBounds(0, 100),
            Noise = Privacy.Mechanisms.NoiseParameters.Laplace(0.5),
            Continual = PrivacyCost.Pure(new Epsilon(0.5)),
        };
        var spec = Segment([sum], Roomy);
        var engine = new SegmentWindowEngine(spec, time);
        engine.Observe(At(1), null, Inputs(spec), []);
        var state = engine.ToBytes();

        var edited = edit switch
        {
            "contributions" => sum with { MaxContributionsPerWindow = 10 },
            "epsilon" => sum with { Noise = Privacy.Mechanisms.NoiseParameters.Laplace(1) },
            "windowsPerUnit" => sum with { MaxWindowsPerUnit = 5 },
            _ => sum with { Clamp = new Privacy.Mechanisms.ClampBounds(0, 1000) },
        };

        Should.Throw<FormatException>(() => SegmentWindowEngine.FromBytes(Segment([edited], Roomy), time, state));

        // A version bump alone is not a content change: the state restores as it was.
        SegmentWindowEngine.FromBytes(Segment([sum], Roomy, policyVersion: "v9"), time, state).ToBytes().ShouldBe(state);
    }

    private static SegmentAggregationSpec Spec(int perWindow) =>
        Segment([Count(perWindow: perWindow) with { Continual = PrivacyCost.Pure(new Epsilon(0.5)) }], Roomy);

    private static SealedWindow Window(SegmentAggregationSpec spec, long index, long count) =>
        new(spec.Segment, index, index * 60_000, (index + 1) * 60_000, [new SealedAggregate("visits", AggregateKind.Count, count, 0, [], 0)]);
}

using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Attacks;

/// <summary>
/// Defect 3, the attack that worked: counter noise depended on (segment, aggregate, policy version, epoch, step)
/// only. A policy rollback v1→v2→v1 (the unreadable v1 state was swallowed and a fresh v1 counter started), a lost
/// counter state, or a renamed aggregate replayed identical noise on different prefix sums, so the differences of
/// two outputs at the same step equal the differences of the true running totals.
/// </summary>
/// <remarks>
/// False-failure rate: with independent noise, an output difference equals the true difference only when two
/// independent rounded counter outputs coincide; with ε = 0.5 the noise of every step has standard deviation above 4,
/// so that happens with probability below 0.1 per step, and 200 steps exceed 60 coincidences with probability below
/// 1e-9 (binomial tail). Under the old identity all 200 coincide.
/// </remarks>
public sealed class ContinualCounterReuseAttackTests
{
    private const int Steps = 200;

    private static readonly BudgetSpec Roomy = new()
    {
        WindowCap = PrivacyCost.Pure(new Epsilon(100)),
        LifetimeCap = PrivacyCost.Pure(new Epsilon(10_000)),
    };

    [Fact]
    public void Restore_PolicyRollbackV1V2V1_NewCounterNoLongerReplaysTheOldNoise()
    {
        var v1 = Spec(epsilon: 0.5);
        var v2 = Spec(epsilon: 0.25);
        var ledger = v1.Budget.CreateLedger(v1.ContentHash);

        var (first, outcome) = ContinualRestore.Restore(v1, NoiseKey, null, everStarted: false, startNewIncarnation: false);
        outcome.ShouldBe(ContinualRestoreOutcome.Fresh);
        var a = Run(v1, first, ledger, fromWindow: 0, Counts(1));

        var (second, toV2) = ContinualRestore.Restore(v2, NoiseKey, first.ToBytes(), everStarted: true, startNewIncarnation: false);
        toV2.ShouldBe(ContinualRestoreOutcome.Transition);
        Run(v2, second, ledger, fromWindow: Steps, Counts(2));

        var (third, back) = ContinualRestore.Restore(v1, NoiseKey, second.ToBytes(), everStarted: true, startNewIncarnation: false);
        back.ShouldBe(ContinualRestoreOutcome.Transition);
        var b = Run(v1, third, ledger, fromWindow: 2 * Steps, Counts(3));

        Coincidences(a, b).ShouldBeLessThanOrEqualTo(60);
    }

    [Fact]
    public void Restore_LostCounterState_RefusesUntilTheOperatorStartsANewIncarnation()
    {
        var spec = Spec(epsilon: 0.5);
        var ledger = spec.Budget.CreateLedger(spec.ContentHash);
        var original = new ContinualTotals(spec, NoiseKey);
        var a = Run(spec, original, ledger, fromWindow: 0, Counts(1));

        // Missing and unreadable state both fail closed.
        foreach (byte[]? state in new[] { null, [9, 9, 9], original.ToBytes()[..^3] })
        {
            var (lost, outcome) = ContinualRestore.Restore(spec, NoiseKey, state, everStarted: true, startNewIncarnation: false);
            outcome.ShouldBe(ContinualRestoreOutcome.Lost);
            var refused = WindowReleaser.Release(Window(spec, Steps, 5), spec, NoiseKey, ledger, lost)[1];
            refused.Kind.ShouldBe(ReleaseOutcome.Suppressed);
            refused.Reason.ShouldBe(SuppressionReason.ContinualStateLost);

            // The refusal is persisted: a restart does not clear it.
            ContinualRestore.Restore(spec, NoiseKey, lost.ToBytes(), everStarted: true, startNewIncarnation: false)
                .Outcome.ShouldBe(ContinualRestoreOutcome.Lost);
        }

        var spent = ledger.LifetimeSpend.Epsilon.Value;
        var (renewed, started) = ContinualRestore.Restore(spec, NoiseKey, null, everStarted: true, startNewIncarnation: true);
        started.ShouldBe(ContinualRestoreOutcome.NewIncarnation);
        var b = Run(spec, renewed, ledger, fromWindow: Steps + 1, Counts(2));

        ledger.LifetimeSpend.Epsilon.Value.ShouldBeGreaterThan(spent, "the new incarnation is charged anew");
        Coincidences(a, b).ShouldBeLessThanOrEqualTo(60);
    }

    [Fact]
    public void Release_RenamedContinualAggregate_GetsIndependentNoise()
    {
        var before = Spec(epsilon: 0.5);
        var renamed = Spec(epsilon: 0.5, name: "visits-total");
        var a = Run(before, new ContinualTotals(before, NoiseKey), before.Budget.CreateLedger(), fromWindow: 0, Counts(1));
        var b = Run(renamed, new ContinualTotals(renamed, NoiseKey), renamed.Budget.CreateLedger(), fromWindow: 0, Counts(2));

        Coincidences(a, b).ShouldBeLessThanOrEqualTo(60);
    }

    [Fact]
    public void Release_SameSegmentCountedOnTwoPartitions_CountersGetIndependentNoise()
    {
        // A topic not partitioned by segment: two partitions run a counter of one segment on different prefix sums.
        var spec = Spec(epsilon: 0.5);
        var a = Run(spec, new ContinualTotals(spec, NoiseKey, owner: "0"), spec.Budget.CreateLedger(), fromWindow: 0, Counts(1), owner: "0");
        var b = Run(spec, new ContinualTotals(spec, NoiseKey, owner: "1"), spec.Budget.CreateLedger(), fromWindow: 0, Counts(2), owner: "1");

        Coincidences(a, b).ShouldBeLessThanOrEqualTo(60);
    }

    [Fact]
    public void Release_TwoCountersSharingOneIdentity_DifferencesAreTheTrueDifferences()
    {
        // The control: the attacker is sound. Two counters under one identity (as two partitions had before the owner
        // was part of it) give output differences equal to the true differences at every step.
        var spec = Spec(epsilon: 0.5);
        var a = Run(spec, new ContinualTotals(spec, NoiseKey), spec.Budget.CreateLedger(), fromWindow: 0, Counts(1));
        var b = Run(spec, new ContinualTotals(spec, NoiseKey), spec.Budget.CreateLedger(), fromWindow: 0, Counts(2));

        Coincidences(a, b).ShouldBe(Steps);
    }

    [Fact]
    public void Release_SameWindowReleasedByTwoPartitions_WindowNoiseIsIndependent()
    {
        // Two partitions each seal a partial window of one segment: under one noise label the difference of the two
        // releases is the exact difference of the partial counts. Same false-failure bound as the counters.
        var spec = Segment([Count("visits", 0.5)], Roomy);
        var first = Counts(1);
        var second = Counts(2);
        var exact = 0;
        for (var i = 0; i < Steps; i++)
        {
            var a = WindowReleaser.Release(Window(spec, i, first[i]), spec, NoiseKey, spec.Budget.CreateLedger(), owner: "0")[0].Release!.Value!.Value;
            var b = WindowReleaser.Release(Window(spec, i, second[i]), spec, NoiseKey, spec.Budget.CreateLedger(), owner: "1")[0].Release!.Value!.Value;
            exact += b - a == second[i] - first[i] ? 1 : 0;
        }

        exact.ShouldBeLessThanOrEqualTo(60);
    }

    private static SegmentAggregationSpec Spec(double epsilon, string name = "visits") =>
        Segment([Count(name, epsilon) with { Continual = PrivacyCost.Pure(new Epsilon(epsilon)), ContinualLog2Horizon = 8 }], Roomy);

    private static long[] Counts(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Steps).Select(_ => (long)random.Next(0, 20))];
    }

    // Per step: (noisy total, true total).
    private static (double Output, long Truth)[] Run(
        SegmentAggregationSpec spec, ContinualTotals totals, BudgetLedger ledger, long fromWindow, long[] counts, string owner = "")
    {
        var result = new (double, long)[counts.Length];
        var truth = 0L;
        for (var i = 0; i < counts.Length; i++)
        {
            truth += counts[i];
            var outcome = WindowReleaser.Release(Window(spec, fromWindow + i, counts[i]), spec, NoiseKey, ledger, totals, owner)[1];
            outcome.Kind.ShouldBe(ReleaseOutcome.Released);
            result[i] = (outcome.Release!.Value!.Value, truth);
        }

        return result;
    }

    // How often the output difference at one step equals the true difference (every step under reused noise).
    private static int Coincidences((double Output, long Truth)[] a, (double Output, long Truth)[] b) =>
        Enumerable.Range(0, a.Length).Count(i => b[i].Output - a[i].Output == b[i].Truth - a[i].Truth);

    private static SealedWindow Window(SegmentAggregationSpec spec, long index, long count) =>
        new(spec.Segment, index, index * 60_000, (index + 1) * 60_000, [new SealedAggregate(spec.Aggregates[0].Name, AggregateKind.Count, count, 0, [], 0)]);
}

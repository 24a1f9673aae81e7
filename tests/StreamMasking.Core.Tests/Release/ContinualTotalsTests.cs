using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Release;

public sealed class ContinualTotalsTests
{
    private static readonly BudgetSpec Roomy = new()
    {
        WindowCap = PrivacyCost.Pure(new Epsilon(100)),
        LifetimeCap = PrivacyCost.Pure(new Epsilon(10_000)),
    };

    private static readonly BudgetSpec RoomyZcdp = new()
    {
        Accountant = AccountantKind.Zcdp,
        WindowCap = PrivacyCost.Zcdp(new Rho(100)),
        LifetimeCap = PrivacyCost.Zcdp(new Rho(10_000)),
    };

    [Fact]
    public void Release_ContinualCount_ChargesCounterOnceAndTracksRunningTotal()
    {
        var spec = Segment([Count() with { Continual = PrivacyCost.Pure(new Epsilon(1)), MaxWindowsPerUnit = 2 }], Roomy);
        var ledger = spec.Budget.CreateLedger();
        var totals = new ContinualTotals(spec, NoiseKey);
        var running = 0L;
        var outcomes = new List<AggregateReleaseResult>();
        var outside = 0;
        for (var i = 0; i < 40; i++)
        {
            running += 50 + (i % 7);
            var result = WindowReleaser.Release(Window(spec, i, 50 + (i % 7)), spec, NoiseKey, ledger, totals);
            result.Count.ShouldBe(2);
            var total = result[1];
            total.Continual.ShouldBeTrue();
            total.Kind.ShouldBe(ReleaseOutcome.Released);
            total.Release!.Step.ShouldBe(i + 1);
            total.Release.Mechanism.ShouldBe("binary-tree-honaker-laplace");

            // The (Chebyshev, 95 %) interval is wide: Laplace tree noise leaves it (beyond 4.47 σ) with probability
            // about 0.2 % per step, so with this fixed key at most a couple of the 40 totals fall outside.
            var interval = total.Release.Interval!.Value;
            outside += interval.Lower <= running && running <= interval.Upper ? 0 : 1;
            outcomes.AddRange(result);
        }

        outside.ShouldBeLessThanOrEqualTo(2);

        // Group privacy over W = 2 windows: the counter is charged 2ε once, in its first window.
        outcomes.Where(o => o.Continual && o.Charged is not null).ShouldHaveSingleItem().Charged.ShouldBe(PrivacyCost.Pure(new Epsilon(2)));
        ledger.LifetimeSpend.Epsilon.Value.ShouldBe(outcomes.Where(o => o.Charged is not null).Sum(o => o.Charged!.Value.Epsilon.Value));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FromBytes_RestoredMidStream_ContinuesWithIdenticalOutputs(bool zcdp)
    {
        var budget = zcdp ? RoomyZcdp : Roomy;
        PrivacyCost continual = zcdp ? PrivacyCost.Zcdp(new Rho(0.5)) : PrivacyCost.Pure(new Epsilon(1));
        var spec = Segment([Count() with { Continual = continual, ContinualLog2Horizon = 3 }], budget);

        var ledger = spec.Budget.CreateLedger();
        var totals = new ContinualTotals(spec, NoiseKey);
        var uninterrupted = Enumerable.Range(0, 30)
            .Select(i => WindowReleaser.Release(Window(spec, i, i * 3), spec, NoiseKey, ledger, totals))
            .Select(r => Convert.ToHexString(r[1].Payload!))
            .ToList();

        var ledger2 = spec.Budget.CreateLedger();
        var totals2 = new ContinualTotals(spec, NoiseKey);
        var resumed = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            if (i == 13)
            {
                // Crash and restore from the persisted bytes (horizon 8: the restore lands inside the second epoch).
                ledger2 = BudgetLedger.FromBytes(ledger2.ToBytes());
                totals2 = ContinualTotals.FromBytes(spec, NoiseKey, totals2.ToBytes());
            }

            resumed.Add(Convert.ToHexString(WindowReleaser.Release(Window(spec, i, i * 3), spec, NoiseKey, ledger2, totals2)[1].Payload!));
        }

        resumed.ShouldBe(uninterrupted);
    }

    [Fact]
    public void Release_RetryOfLastWindow_ReplaysStoredTotalWithoutStepping()
    {
        var spec = Segment([Count() with { Continual = PrivacyCost.Pure(new Epsilon(1)) }], Roomy);
        var ledger = spec.Budget.CreateLedger();
        var totals = new ContinualTotals(spec, NoiseKey);
        WindowReleaser.Release(Window(spec, 0, 5), spec, NoiseKey, ledger, totals);
        var first = WindowReleaser.Release(Window(spec, 1, 7), spec, NoiseKey, ledger, totals);
        var spend = ledger.LifetimeSpend;

        var retry = WindowReleaser.Release(Window(spec, 1, 7), spec, NoiseKey, ledger, totals);
        retry.ShouldAllBe(o => o.Kind == ReleaseOutcome.Replayed && o.Charged == null);
        retry.Select(o => Convert.ToHexString(o.Payload!)).ShouldBe(first.Select(o => Convert.ToHexString(o.Payload!)));
        ledger.LifetimeSpend.ShouldBe(spend);

        var older = WindowReleaser.Release(Window(spec, 0, 5), spec, NoiseKey, ledger, totals);
        older[1].Kind.ShouldBe(ReleaseOutcome.Suppressed);
        older[1].Reason.ShouldBe(SuppressionReason.ContinualStepPassed);
        WindowReleaser.Release(Window(spec, 2, 1), spec, NoiseKey, ledger, totals)[1].Release!.Step.ShouldBe(3);
    }

    [Fact]
    public void Release_ContinualOverLifetimeCap_SuppressedAndCounterNotFed()
    {
        var spec = Segment(
            [Count() with { Continual = PrivacyCost.Pure(new Epsilon(5)) }],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(10)), LifetimeCap = PrivacyCost.Pure(new Epsilon(2)) });
        var ledger = spec.Budget.CreateLedger();
        var totals = new ContinualTotals(spec, NoiseKey);
        var outcomes = WindowReleaser.Release(Window(spec, 0, 5), spec, NoiseKey, ledger, totals);
        outcomes[0].Kind.ShouldBe(ReleaseOutcome.Released);
        outcomes[1].Kind.ShouldBe(ReleaseOutcome.Suppressed);
        outcomes[1].Reason.ShouldBe(SuppressionReason.LifetimeCapExceeded);
        ledger.LifetimeSpend.Epsilon.Value.ShouldBe(0.5);
    }

    [Fact]
    public void Validate_RhoContinualUnderBasicAccountant_Rejected()
    {
        var spec = Segment([Count() with { Continual = PrivacyCost.Zcdp(new Rho(1)) }], Roomy);
        Should.Throw<ArgumentException>(spec.Validate);
    }

    private static SealedWindow Window(SegmentAggregationSpec spec, long index, long count) =>
        new(spec.Segment, index, index * 60_000, (index + 1) * 60_000, [new SealedAggregate("visits", AggregateKind.Count, count, 0, [], 0)]);
}

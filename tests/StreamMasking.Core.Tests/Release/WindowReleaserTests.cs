using System.Text;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Release;
using StreamMasking.Core.Tests.Windowing;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Release;

public sealed class WindowReleaserTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Release_EmptyWindows_EmitNoisyResultForEveryAggregate()
    {
        var spec = Segment(AllKinds());
        var windows = Seal(spec, [At(0, 1)], untilMinute: 4);
        windows.Count.ShouldBe(4);
        var ledger = spec.Budget.CreateLedger();

        foreach (var window in windows.Skip(1))
        {
            window.Aggregates.ShouldAllBe(a => a.Count == 0);
            var outcomes = WindowReleaser.Release(window, spec, NoiseKey, ledger);
            outcomes.Count.ShouldBe(5);
            outcomes.ShouldAllBe(o => o.Kind == ReleaseOutcome.Released && o.Payload != null);
            var count = outcomes[0].Release!;
            count.Value.ShouldNotBeNull();
            // A noisy zero on the integer lattice (0 itself is a possible draw), inside a non-degenerate interval.
            count.Value.Value.ShouldBe(Math.Round(count.Value.Value));
            count.Interval!.Value.Lower.ShouldBeLessThan(count.Interval!.Value.Upper);
            count.Value.Value.ShouldBeInRange(count.Interval!.Value.Lower, count.Interval!.Value.Upper);
            outcomes[3].Release!.Bins!.Select(b => b.Key).ShouldBe(["cardio", "neuro", "ortho"]);
            outcomes[4].Release!.Selected!.Count.ShouldBe(2);
        }
    }

    [Fact]
    public void Release_ReleaseCarriesWindowSegmentVersionAndPrivacyParameters()
    {
        var spec = Segment(AllKinds());
        var window = Seal(spec, [At(3, 1), At(3, 2)], untilMinute: 5)[0];
        var outcomes = WindowReleaser.Release(window, spec, NoiseKey, spec.Budget.CreateLedger());
        var count = outcomes[0].Release!;
        count.Segment.ShouldBe("clinic-a.eu.visits");
        count.PolicyVersion.ShouldBe("v1");
        count.WindowStartMs.ShouldBe(At(3));
        count.WindowEndMs.ShouldBe(At(4));
        count.Mechanism.ShouldBe("laplace-count");
        count.Epsilon.ShouldBe(0.5);
        count.Delta.ShouldBe(0);
        count.NoiseScale.ShouldBeGreaterThanOrEqualTo(2.0); // b ≥ Δ/ε = 1/0.5
        outcomes[2].Release!.Mechanism.ShouldBe("gaussian-mean");
        outcomes[2].Release!.Delta.ShouldBe(1e-6);
        outcomes[0].Charged.ShouldBe(PrivacyCost.Pure(new Epsilon(0.5)));
        outcomes[2].Charged.ShouldBe(PrivacyCost.Approximate(new Epsilon(0.5), new Delta(1e-6)));
    }

    [Fact]
    public void Release_LifetimeCap_SuppressesExactlyTheReleasesBeyondIt()
    {
        // Two aggregates at ε = 0.5 per window; lifetime cap ε = 2.5 pays for five releases, the sixth is refused.
        var spec = Segment(
            [Count("a"), Count("b")],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(1)), LifetimeCap = PrivacyCost.Pure(new Epsilon(2.5)) });
        var windows = Seal(spec, [At(0, 1)], untilMinute: 5);
        var ledger = spec.Budget.CreateLedger();
        var outcomes = windows.SelectMany(w => WindowReleaser.Release(w, spec, NoiseKey, ledger)).ToList();

        outcomes.Count.ShouldBe(10);
        outcomes.Take(5).ShouldAllBe(o => o.Kind == ReleaseOutcome.Released);
        outcomes.Skip(5).ShouldAllBe(o => o.Kind == ReleaseOutcome.Suppressed
            && o.Reason == SuppressionReason.LifetimeCapExceeded && o.Payload == null && o.Release == null);

        var released = outcomes.Where(o => o.Charged is not null).Sum(o => o.Charged!.Value.Epsilon.Value);
        ledger.LifetimeSpend.Epsilon.Value.ShouldBe(released);
        ledger.LifetimeSpend.Count.ShouldBe(5);
    }

    [Fact]
    public void Release_WindowCap_SuppressesAggregatesBeyondItInEachWindow()
    {
        var spec = Segment(
            [Count("a"), Count("b"), Count("c")],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(1)), LifetimeCap = PrivacyCost.Pure(new Epsilon(100)) });
        var ledger = spec.Budget.CreateLedger();
        foreach (var window in Seal(spec, [At(0, 1)], untilMinute: 3))
        {
            var outcomes = WindowReleaser.Release(window, spec, NoiseKey, ledger);
            outcomes.Select(o => o.Kind).ShouldBe([ReleaseOutcome.Released, ReleaseOutcome.Released, ReleaseOutcome.Suppressed]);
            outcomes[2].Reason.ShouldBe(SuppressionReason.WindowCapExceeded);
            ledger.WindowSpend(window.WindowIndex).Epsilon.Value.ShouldBe(1);
        }

        ledger.LifetimeSpend.Epsilon.Value.ShouldBe(3);
    }

    [Fact]
    public void Release_ReplayOfReleaseKey_ChargesNothingAndIsByteIdentical()
    {
        var spec = Segment(AllKinds());
        var window = Seal(spec, [At(0, 1), At(0, 2)], untilMinute: 2)[0];
        var ledger = spec.Budget.CreateLedger();
        var first = WindowReleaser.Release(window, spec, NoiseKey, ledger);
        var spend = ledger.LifetimeSpend;

        var again = WindowReleaser.Release(SealedWindow.FromBytes(window.ToBytes()), spec, NoiseKey, ledger);
        ledger.LifetimeSpend.ShouldBe(spend);
        again.ShouldAllBe(o => o.Kind == ReleaseOutcome.Replayed && o.Charged == null);
        again.Select(o => Encoding.UTF8.GetString(o.Payload!)).ShouldBe(first.Select(o => Encoding.UTF8.GetString(o.Payload!)));
    }

    [Fact]
    public void Release_RetryAfterAbortedTransaction_ChargesOnceAndIsByteIdentical()
    {
        // An abort discards the debit: the runtime restores the ledger from its last committed bytes and retries.
        var spec = Segment(AllKinds());
        var window = Seal(spec, [At(0, 1)], untilMinute: 2)[0];
        var committed = spec.Budget.CreateLedger().ToBytes();
        var aborted = WindowReleaser.Release(window, spec, NoiseKey, BudgetLedger.FromBytes(committed));
        var ledger = BudgetLedger.FromBytes(committed);
        var retried = WindowReleaser.Release(window, spec, NoiseKey, ledger);

        retried.ShouldAllBe(o => o.Kind == ReleaseOutcome.Released);
        retried.Select(o => Convert.ToHexString(o.Payload!)).ShouldBe(aborted.Select(o => Convert.ToHexString(o.Payload!)));
        ledger.LifetimeSpend.Count.ShouldBe(5);
    }

    [Fact]
    public void Release_DifferentSealedStateForSameWindow_RefusedAsLabelReuse()
    {
        // The seal prevents this; should a window ever be re-released from another state, the same noise label would
        // cover two values (revealing their difference exactly): refused, nothing charged, nothing published.
        var spec = Segment();
        var ledger = spec.Budget.CreateLedger();
        var one = Seal(spec, [At(0, 1)], untilMinute: 2)[0];
        var two = Seal(spec, [At(0, 1), At(0, 2)], untilMinute: 2)[0];
        var first = WindowReleaser.Release(one, spec, NoiseKey, ledger).Single();
        var second = WindowReleaser.Release(two, spec, NoiseKey, ledger).Single();
        var replay = WindowReleaser.Release(one, spec, NoiseKey, ledger).Single();

        first.Kind.ShouldBe(ReleaseOutcome.Released);
        second.Kind.ShouldBe(ReleaseOutcome.Suppressed);
        second.Reason.ShouldBe(SuppressionReason.LabelReuseRefused);
        second.Key.ShouldBe(first.Key); // the key names the release, never the state
        second.Payload.ShouldBeNull();
        replay.Kind.ShouldBe(ReleaseOutcome.Replayed);
        ledger.LifetimeSpend.Epsilon.Value.ShouldBe(0.5);
    }

    [Fact]
    public void Release_OtherContentOrKey_GetsIndependentNoise_VersionAloneDoesNot()
    {
        // Integer releases coincide by chance; eight windows together do not.
        var spec = Segment();
        var windows = Seal(spec, [At(0, 1)], untilMinute: 9).Take(8).ToList();
        double[] Values(SegmentAggregationSpec s, byte[] key) => [.. windows.Select(w => Value(w, s, key))];
        var value = Values(spec, NoiseKey);

        // The free-text version is not DP content: a bump alone replays the identical release.
        Values(spec with { PolicyVersion = "v2" }, NoiseKey).ShouldBe(value);
        Values(Segment([Count(epsilon: 0.25)]), NoiseKey).ShouldNotBe(value);
        Values(Segment([Count(perWindow: 2)]), NoiseKey).ShouldNotBe(value);
        Values(spec, [.. NoiseKey.Reverse()]).ShouldNotBe(value);
    }

    [Fact]
    public void Release_ZcdpAccountant_ChargesRhoOfTheAppliedGaussian()
    {
        var count = Count() with { Noise = NoiseParameters.Gaussian(1, 1e-6) };
        var spec = Segment(
            [count],
            new BudgetSpec { Accountant = AccountantKind.Zcdp, WindowCap = PrivacyCost.Zcdp(new Rho(1)), LifetimeCap = PrivacyCost.Zcdp(new Rho(1)) });
        var ledger = spec.Budget.CreateLedger();
        var outcome = WindowReleaser.Release(Seal(spec, [At(0, 1)], untilMinute: 2)[0], spec, NoiseKey, ledger).Single();

        var release = outcome.Release!;
        var rho = outcome.Charged!.Value.Rho.Value;
        release.Rho.ShouldBe(rho);

        // Δ = 1 on a fine lattice: ρ ≈ 1/(2σ²), and never less.
        rho.ShouldBeGreaterThanOrEqualTo(1 / (2 * release.NoiseScale * release.NoiseScale));
        rho.ShouldBeLessThan(1.01 / (2 * release.NoiseScale * release.NoiseScale));
        ledger.LifetimeSpend.Rho.Value.ShouldBe(rho);
    }

    [Fact]
    public void Validate_GaussianMeanUnderZcdp_Rejected()
    {
        var spec = Segment(
            [AllKinds()[2]],
            new BudgetSpec { Accountant = AccountantKind.Zcdp, WindowCap = PrivacyCost.Zcdp(new Rho(1)), LifetimeCap = PrivacyCost.Zcdp(new Rho(1)) });
        Should.Throw<ArgumentException>(spec.Validate).Message.ShouldContain("avg-age");
    }

    [Fact]
    public void Serialize_Release_CanonicalFieldOrderAndRoundTripDoubles()
    {
        var release = new WindowRelease
        {
            Segment = "s",
            PolicyVersion = "v1",
            Aggregate = "visits",
            Kind = AggregateKind.Count,
            WindowIndex = 1,
            WindowStartMs = 60_000,
            WindowEndMs = 120_000,
            Mechanism = "laplace-count",
            Epsilon = 0.1,
            Delta = 0,
            NoiseScale = 10.000000000000002,
            Value = 0.1 + 0.2,
            Interval = new ConfidenceInterval(-1e-9, 1e21, 0.95),
        };
        Encoding.UTF8.GetString(ReleaseJson.Serialize(release)).ShouldBe(
            "{\"segment\":\"s\",\"policyVersion\":\"v1\",\"aggregate\":\"visits\",\"kind\":\"count\",\"continual\":false,"
            + "\"window\":{\"index\":1,\"start\":\"1970-01-01T00:01:00.000Z\",\"end\":\"1970-01-01T00:02:00.000Z\"},"
            + "\"mechanism\":\"laplace-count\",\"epsilon\":0.1,\"delta\":0,\"noiseScale\":10.000000000000002,"
            + "\"value\":0.30000000000000004,\"ci\":{\"lower\":-1E-09,\"upper\":1E+21,\"level\":0.95}}");
    }

    private static double Value(SealedWindow window, SegmentAggregationSpec spec, byte[] key) =>
        WindowReleaser.Release(window, spec, key, spec.Budget.CreateLedger())[0].Release!.Value!.Value;

    private List<SealedWindow> Seal(SegmentAggregationSpec spec, long[] times, int untilMinute)
    {
        var engine = new SegmentWindowEngine(spec, _clock);
        var sealedWindows = new List<SealedWindow>();
        foreach (var time in times)
        {
            engine.Observe(time, null, Inputs(spec), sealedWindows);
        }

        engine.Observe(At(untilMinute, 30), null, Inputs(spec), sealedWindows);
        return sealedWindows;
    }
}

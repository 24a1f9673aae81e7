using System.Text.Json;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Processing;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit.Events;

public sealed class SuppressionEventTests
{
    [Fact]
    public void Suppression_WindowCapExceeded_ReportsReasonWindowAndKey()
    {
        // Two counts at ε = 0.5 under a window cap of 0.7: the second is refused.
        var spec = Spec(
            [Count("a"), Count("b")],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(0.7)), LifetimeCap = PrivacyCost.Pure(new Epsilon(10)) });
        var released = ReleaseFirstWindow(spec);
        var suppressed = released.Outcomes[1];
        suppressed.Kind.ShouldBe(ReleaseOutcome.Suppressed);
        suppressed.Reason.ShouldBe(SuppressionReason.WindowCapExceeded);

        var record = Writer().Suppression(suppressed, released.Window, spec.PolicyVersion);
        var cloudEvent = Decode(record);
        var data = (JsonElement)cloudEvent.Data!;

        cloudEvent.Type.ShouldBe(AuditEventTypes.Suppression);
        cloudEvent.Subject.ShouldBe(Segment);
        cloudEvent.Id.ShouldBe(AuditEventWriter.DeterministicId(AuditEventTypes.Suppression, Segment, "v1", suppressed.Key.ToString()));
        record.Segment.ShouldBe(Segment);
        data.GetProperty("reason").GetString().ShouldBe("window_cap_exceeded");
        data.GetProperty("aggregate").GetString().ShouldBe("b");
        data.GetProperty("continual").GetBoolean().ShouldBeFalse();
        data.GetProperty("window").GetProperty("index").GetInt64().ShouldBe(0);
        data.GetProperty("releaseKey").GetString().ShouldBe(suppressed.Key.ToString());
    }

    [Fact]
    public void Suppression_LifetimeCapAndPassedContinualStep_AreReported()
    {
        var spec = Spec(
            [Count(continual: true)],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(10)), LifetimeCap = PrivacyCost.Pure(new Epsilon(1.5)) });
        var windows = Seal(spec, windows: 3);
        var ledger = spec.Budget.CreateLedger();
        var totals = new ContinualTotals(spec, NoiseKey);
        var writer = Writer();

        var outcomes = windows.Select(w => (Window: w, Outcomes: WindowReleaser.Release(w, spec, NoiseKey, ledger, totals))).ToList();
        // Window 0 pays count + counter (1.0), window 1 pays its count (1.5), window 2's count is over the lifetime cap.
        var lifetime = outcomes[2].Outcomes[0];
        lifetime.Reason.ShouldBe(SuppressionReason.LifetimeCapExceeded);
        var passed = WindowReleaser.Release(windows[0], spec, NoiseKey, ledger, totals)[1];
        passed.Reason.ShouldBe(SuppressionReason.ContinualStepPassed);

        Reason(writer.Suppression(lifetime, windows[2], "v1")).ShouldBe("lifetime_cap_exceeded");
        Reason(writer.Suppression(passed, windows[0], "v1")).ShouldBe("continual_step_passed");
    }

    [Fact]
    public void Suppression_EveryReasonExceptNone_HasDistinctSnakeCaseCode()
    {
        var spec = Spec(
            [Count("a"), Count("b")],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(0.7)), LifetimeCap = PrivacyCost.Pure(new Epsilon(10)) });
        var released = ReleaseFirstWindow(spec);
        var writer = Writer();

        var codes = Enum.GetValues<SuppressionReason>()
            .Where(r => r != SuppressionReason.None)
            .Select(r => Reason(writer.Suppression(released.Outcomes[1] with { Reason = r }, released.Window, "v1")))
            .ToList();

        codes.ShouldBe(
        [
            "window_cap_exceeded", "lifetime_cap_exceeded", "unsupported_cost_kind", "window_sealed",
            "release_key_conflict", "arithmetic_overflow", "continual_step_passed", "label_reuse_refused",
            "continual_state_lost",
        ]);
        codes.ShouldAllBe(c => c.All(ch => char.IsAsciiLetterLower(ch) || ch == '_'));
    }

    [Fact]
    public void Suppression_Misuse_Throws()
    {
        var writer = Writer();
        var (spec, released, paid, suppressed, _) = CappedPair();
        var otherWindow = Seal(spec, windows: 2)[1];

        Should.Throw<ArgumentException>(() => writer.Suppression(paid, released.Window, "v1"));
        Should.Throw<ArgumentException>(() => writer.Suppression(suppressed with { Reason = SuppressionReason.None }, released.Window, "v1"));
        Should.Throw<ArgumentException>(() => writer.Suppression(suppressed, otherWindow, "v1"));
        Should.Throw<ArgumentException>(() => writer.Suppression(suppressed, released.Window, ""));
    }

    private static string Reason(OutputRecord record) =>
        ((JsonElement)Decode(record).Data!).GetProperty("reason").GetString()!;
}

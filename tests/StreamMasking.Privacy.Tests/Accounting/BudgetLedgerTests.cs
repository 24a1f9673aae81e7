using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Tests.Accounting;

public class BudgetLedgerTests
{
    private static PrivacyCost Pure(double epsilon) => PrivacyCost.Pure(new Epsilon(epsilon));

    private static PrivacyCost Approx(double epsilon, double delta) =>
        PrivacyCost.Approximate(new Epsilon(epsilon), new Delta(delta));

    private static BudgetLedger BasicLedger(int retained = 3) =>
        new(BasicCompositionAccountant.Instance, Approx(1.0, 1e-6), Approx(2.5, 1e-5), retained);

    [Fact]
    public void WithCaps_RaisedLifetimeCap_KeepsEverySpendAndReplayAndAllowsMore()
    {
        var ledger = BasicLedger();
        ledger.TryDebit(new ReleaseKey(1, "a"), Pure(1.0)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(2, "a"), Pure(1.0)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(3, "a"), Pure(1.0)).Reason.ShouldBe(DebitRefusalReason.LifetimeCapExceeded);

        var raised = ledger.WithCaps(Approx(1.0, 1e-6), Approx(5.0, 1e-5));

        raised.LifetimeSpend.Epsilon.Value.ShouldBe(2.0);
        raised.LifetimeCap.ShouldBe(Approx(5.0, 1e-5));
        raised.TryDebit(new ReleaseKey(2, "a"), Pure(1.0)).Outcome.ShouldBe(DebitOutcome.AlreadyDebited);
        raised.TryDebit(new ReleaseKey(3, "a"), Pure(1.0)).Outcome.ShouldBe(DebitOutcome.Debited);
        raised.LifetimeSpend.Epsilon.Value.ShouldBe(3.0);
        ledger.LifetimeSpend.Epsilon.Value.ShouldBe(2.0, "the original ledger is not changed");
    }

    [Fact]
    public void WithCaps_LoweredBelowSpend_KeepsPastDebitsAndRefusesNewOnes()
    {
        var ledger = BasicLedger();
        ledger.TryDebit(new ReleaseKey(1, "a"), Pure(1.0)).IsPaid.ShouldBeTrue();

        var lowered = ledger.WithCaps(Approx(1.0, 1e-6), Approx(0.5, 1e-5));

        lowered.LifetimeSpend.Epsilon.Value.ShouldBe(1.0);
        lowered.TryDebit(new ReleaseKey(1, "a"), Pure(1.0)).Outcome.ShouldBe(DebitOutcome.AlreadyDebited);
        lowered.TryDebit(new ReleaseKey(2, "b"), Pure(0.1)).Reason.ShouldBe(DebitRefusalReason.LifetimeCapExceeded);
    }

    [Fact]
    public void TryDebit_WithinCaps_DebitsAndAccumulates()
    {
        var ledger = BasicLedger();
        var result = ledger.TryDebit(new ReleaseKey(7, "count"), Approx(0.25, 1e-7));
        result.Outcome.ShouldBe(DebitOutcome.Debited);
        result.Record!.Sequence.ShouldBe(1);
        ledger.TryDebit(new ReleaseKey(7, "sum"), Pure(0.5)).IsPaid.ShouldBeTrue();
        ledger.WindowSpend(7).Epsilon.Value.ShouldBe(0.75);
        ledger.WindowSpend(7).Delta.Value.ShouldBe(1e-7);
        ledger.LifetimeSpend.Count.ShouldBe(2);
        ledger.RemainingInWindow(7).Epsilon.Value.ShouldBe(0.25);
        ledger.RemainingLifetime().Epsilon.Value.ShouldBe(1.75);
    }

    [Fact]
    public void TryDebit_OverWindowCap_RefusesWithoutCharging()
    {
        var ledger = BasicLedger();
        ledger.TryDebit(new ReleaseKey(1, "a"), Pure(0.9)).Outcome.ShouldBe(DebitOutcome.Debited);
        var before = ledger.ToBytes();
        var refused = ledger.TryDebit(new ReleaseKey(1, "b"), Pure(0.2));
        refused.Outcome.ShouldBe(DebitOutcome.Refused);
        refused.Reason.ShouldBe(DebitRefusalReason.WindowCapExceeded);
        refused.Record.ShouldBeNull();
        ledger.ToBytes().ShouldBe(before);
        ledger.TryDebit(new ReleaseKey(1, "c"), Approx(0.1, 2e-6)).Reason.ShouldBe(DebitRefusalReason.WindowCapExceeded);
    }

    [Fact]
    public void TryDebit_OverLifetimeCap_Refuses()
    {
        var ledger = BasicLedger();
        ledger.TryDebit(new ReleaseKey(1, "a"), Pure(1.0)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(2, "a"), Pure(1.0)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(3, "a"), Pure(0.6)).Reason.ShouldBe(DebitRefusalReason.LifetimeCapExceeded);
        ledger.TryDebit(new ReleaseKey(3, "b"), Pure(0.5)).IsPaid.ShouldBeTrue();
        ledger.RemainingLifetime().Epsilon.ShouldBe(Epsilon.Zero);
    }

    [Fact]
    public void TryDebit_ReplayedKey_CostsNothingAndReturnsOriginalDebit()
    {
        var ledger = BasicLedger();
        var first = ledger.TryDebit(new ReleaseKey(4, "hist"), Pure(0.3));
        var bytes = ledger.ToBytes();
        var replay = ledger.TryDebit(new ReleaseKey(4, "hist"), Pure(0.3));
        replay.Outcome.ShouldBe(DebitOutcome.AlreadyDebited);
        replay.Record.ShouldBe(first.Record);
        ledger.ToBytes().ShouldBe(bytes);
        ledger.LifetimeSpend.Epsilon.Value.ShouldBe(0.3);
    }

    [Fact]
    public void TryDebit_ReplayedKeyWithOtherCost_RefusesAsConflict()
    {
        var ledger = BasicLedger();
        ledger.TryDebit(new ReleaseKey(4, "hist"), Pure(0.3));
        ledger.TryDebit(new ReleaseKey(4, "hist"), Pure(0.2)).Reason.ShouldBe(DebitRefusalReason.ReleaseKeyConflict);
        ledger.LifetimeSpend.Count.ShouldBe(1);
    }

    [Fact]
    public void TryDebit_WindowOlderThanRetention_IsSealed()
    {
        var ledger = BasicLedger(retained: 3);
        ledger.TryDebit(new ReleaseKey(10, "a"), Pure(0.1)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(12, "a"), Pure(0.1)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(10, "b"), Pure(0.1)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(13, "a"), Pure(0.1)).IsPaid.ShouldBeTrue();

        // Window 10's keys are forgotten now; a replay of (10, a) must not be charged again nor released unpaid.
        ledger.SealedBelow.ShouldBe(11);
        ledger.TryDebit(new ReleaseKey(10, "a"), Pure(0.1)).Reason.ShouldBe(DebitRefusalReason.WindowSealed);
        ledger.RemainingInWindow(10).Epsilon.ShouldBe(Epsilon.Zero);
        ledger.LifetimeSpend.Epsilon.Value.ShouldBe(0.4, 1e-15);
    }

    [Fact]
    public void TryDebit_PureCapWithDelta_RefusesApproximateCost()
    {
        var ledger = new BudgetLedger(BasicCompositionAccountant.Instance, Pure(1), Pure(1), 2);
        ledger.TryDebit(new ReleaseKey(0, "a"), Approx(0.1, 1e-9)).Reason.ShouldBe(DebitRefusalReason.WindowCapExceeded);
        ledger.TryDebit(new ReleaseKey(0, "b"), PrivacyCost.Zcdp(new Rho(0.1))).Reason
            .ShouldBe(DebitRefusalReason.UnsupportedCostKind);
        ledger.TryDebit(new ReleaseKey(0, "c"), Pure(1)).IsPaid.ShouldBeTrue();
    }

    [Fact]
    public void Constructor_CapInWrongCurrency_Throws()
    {
        Should.Throw<ArgumentException>(() => new BudgetLedger(
            new ZcdpAccountant(new Delta(1e-6)), Pure(1), PrivacyCost.Zcdp(new Rho(1)), 1));
        Should.Throw<ArgumentException>(() => new BudgetLedger(
            new AdaptiveCompositionFilter(new Delta(1e-6)), Approx(1, 1e-7), Approx(1, 1e-5), 1));
    }

    [Fact]
    public void FromBytes_RoundTrip_IsExactAndBehavesIdentically()
    {
        var ledger = new BudgetLedger(new AdaptiveCompositionFilter(new Delta(1e-7)), Approx(3, 1e-6), Approx(5, 1e-5), 2);
        ledger.TryDebit(new ReleaseKey(-3, "ünïcode/ key"), Approx(0.1, 1e-8));
        ledger.TryDebit(new ReleaseKey(-2, "x"), Pure(0.2));
        ledger.TryDebit(new ReleaseKey(-1, "x"), Pure(1.0 / 3));
        ledger.LifetimeSpend.Count.ShouldBe(3);
        var bytes = ledger.ToBytes();
        bytes[0].ShouldBe((byte)2);
        var restored = BudgetLedger.FromBytes(bytes);
        restored.ToBytes().ShouldBe(bytes);
        restored.LifetimeSpend.ShouldBe(ledger.LifetimeSpend);
        restored.SealedBelow.ShouldBe(-2);
        foreach (var (key, cost) in new[] { (new ReleaseKey(-1, "x"), Pure(1.0 / 3)), (new ReleaseKey(-1, "y"), Pure(0.5)), (new ReleaseKey(5, "z"), Pure(0.9)) })
        {
            restored.TryDebit(key, cost).ShouldBe(ledger.TryDebit(key, cost));
        }

        restored.ToBytes().ShouldBe(ledger.ToBytes());
    }

    [Fact]
    public void FromBytes_CorruptState_ThrowsFormatException()
    {
        var ledger = BasicLedger();
        ledger.TryDebit(new ReleaseKey(1, "a"), Pure(0.5));
        var bytes = ledger.ToBytes();

        Should.Throw<FormatException>(() => BudgetLedger.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        Should.Throw<FormatException>(() => BudgetLedger.FromBytes([.. bytes, 0]));
        var wrongVersion = bytes.ToArray();
        wrongVersion[0] = 9;
        Should.Throw<FormatException>(() => BudgetLedger.FromBytes(wrongVersion));

        // Lower the window's stored ε total (first field of the window spend): totals no longer match the debits.
        var tampered = bytes.ToArray();
        var windowSpendOffset = bytes.Length - 36 - 4 - 40; // one debit (36 bytes), its count, then the spend
        BitConverter.GetBytes(0.25).CopyTo(tampered, windowSpendOffset);
        Should.Throw<FormatException>(() => BudgetLedger.FromBytes(tampered));
    }
}

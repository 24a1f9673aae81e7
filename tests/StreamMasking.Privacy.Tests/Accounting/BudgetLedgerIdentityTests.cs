using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Tests.Accounting;

/// <summary>The ledger as the label → value-digest book and as state bound to a policy's content hash.</summary>
public sealed class BudgetLedgerIdentityTests
{
    private static readonly PrivacyCost Half = PrivacyCost.Pure(new Epsilon(0.5));

    private static BudgetLedger Ledger(string binding = "h1") =>
        new(BasicCompositionAccountant.Instance, PrivacyCost.Pure(new Epsilon(10)), PrivacyCost.Pure(new Epsilon(100)), 8, binding);

    [Fact]
    public void TryDebit_SameKeyOtherValueDigest_RefusedAsLabelReuseAndChargesNothing()
    {
        var ledger = Ledger();
        var key = new ReleaseKey(1, "visits/h1");
        ledger.TryDebit(key, Half, "aa").Outcome.ShouldBe(DebitOutcome.Debited);

        ledger.TryDebit(key, Half, "aa").Outcome.ShouldBe(DebitOutcome.AlreadyDebited);
        var refused = ledger.TryDebit(key, Half, "bb");

        refused.IsPaid.ShouldBeFalse();
        refused.Reason.ShouldBe(DebitRefusalReason.LabelReuse);
        ledger.LifetimeSpend.Epsilon.Value.ShouldBe(0.5);
    }

    [Fact]
    public void FromBytes_DigestAndBinding_SurviveTheRoundTrip()
    {
        var ledger = Ledger("content-1");
        var key = new ReleaseKey(3, "visits/content-1");
        ledger.TryDebit(key, Half, "digest-of-state");

        var restored = BudgetLedger.FromBytes(ledger.ToBytes());

        restored.Binding.ShouldBe("content-1");
        restored.FindDebit(key)!.ValueDigest.ShouldBe("digest-of-state");
        restored.TryDebit(key, Half, "other").Reason.ShouldBe(DebitRefusalReason.LabelReuse);
        restored.ToBytes().ShouldBe(ledger.ToBytes());
    }

    [Fact]
    public void WithCaps_NewBinding_IsTheTransitionAndKeepsEverySpend()
    {
        var ledger = Ledger("content-1");
        ledger.TryDebit(new ReleaseKey(1, "a"), Half, "x");

        var moved = ledger.WithCaps(ledger.WindowCap, ledger.LifetimeCap, "content-2");

        moved.Binding.ShouldBe("content-2");
        moved.LifetimeSpend.ShouldBe(ledger.LifetimeSpend);
        BudgetLedger.FromBytes(moved.ToBytes()).Binding.ShouldBe("content-2");
        ledger.Binding.ShouldBe("content-1");
    }
}

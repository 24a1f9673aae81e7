using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Tests.Accounting;

/// <summary>The rule by which a persisted ledger survives a policy change.</summary>
public sealed class LedgerCarryOverTests
{
    private static readonly PrivacyCost One = PrivacyCost.Pure(new Epsilon(1));

    private static PrivacyCost Pure(double epsilon) => PrivacyCost.Pure(new Epsilon(epsilon));

    private static BudgetLedger Spent(string binding = "h1")
    {
        var ledger = new BudgetLedger(BasicCompositionAccountant.Instance, Pure(2), Pure(10), 8, binding);
        ledger.TryDebit(new ReleaseKey(1, "a"), One, "d1").IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(2, "a"), One, "d2").IsPaid.ShouldBeTrue();
        return ledger;
    }

    [Fact]
    public void Carry_NothingChanged_ReturnsThePersistedLedger()
    {
        var ledger = Spent();

        LedgerCarryOver.Carry(ledger, BasicCompositionAccountant.Instance, Pure(2), Pure(10), "h1").ShouldBeSameAs(ledger);
    }

    [Fact]
    public void Carry_SameAccountantNewCaps_TakesTheNewCapsAndKeepsEverySpend()
    {
        var ledger = Spent();

        var carried = LedgerCarryOver.Carry(ledger, BasicCompositionAccountant.Instance, Pure(3), Pure(2.5), "h2");

        carried.WindowCap.ShouldBe(Pure(3));
        carried.LifetimeCap.ShouldBe(Pure(2.5));
        carried.Binding.ShouldBe("h2");
        carried.LifetimeSpend.Epsilon.Value.ShouldBe(2.0);
        carried.TryDebit(new ReleaseKey(2, "a"), One, "d2").Outcome.ShouldBe(DebitOutcome.AlreadyDebited);
        carried.TryDebit(new ReleaseKey(3, "a"), One, "d3").Reason.ShouldBe(DebitRefusalReason.LifetimeCapExceeded);
        ledger.Binding.ShouldBe("h1", "the persisted ledger is not changed");
        ledger.LifetimeCap.ShouldBe(Pure(10));
    }

    [Fact]
    public void Carry_OtherAccountant_KeepsTheOldCapsAndRuleButTakesTheNewBinding()
    {
        var ledger = Spent();
        var zcdp = new ZcdpAccountant(new Delta(1e-6));

        var carried = LedgerCarryOver.Carry(ledger, zcdp, PrivacyCost.Zcdp(new Rho(0.5)), PrivacyCost.Zcdp(new Rho(5)), "h2");

        carried.Accountant.ShouldBeOfType<BasicCompositionAccountant>();
        carried.WindowCap.ShouldBe(Pure(2));
        carried.LifetimeCap.ShouldBe(Pure(10));
        carried.Binding.ShouldBe("h2");
        carried.LifetimeSpend.Epsilon.Value.ShouldBe(2.0);
    }

    [Fact]
    public void Carry_OtherAccountantSameBinding_ReturnsThePersistedLedger()
    {
        // Only the rule changed and the ledger keeps its own: nothing to rewrite.
        var ledger = Spent();

        LedgerCarryOver.Carry(ledger, new ZcdpAccountant(new Delta(1e-6)), PrivacyCost.Zcdp(new Rho(0.5)), PrivacyCost.Zcdp(new Rho(5)), "h1")
            .ShouldBeSameAs(ledger);
    }

    [Fact]
    public void Carry_NewBindingOnly_RebindsUnderTheSameCaps()
    {
        var ledger = Spent("h1");

        var carried = LedgerCarryOver.Carry(ledger, BasicCompositionAccountant.Instance, Pure(2), Pure(10), "h2");

        carried.ShouldNotBeSameAs(ledger);
        carried.Binding.ShouldBe("h2");
        carried.WindowCap.ShouldBe(Pure(2));
        carried.LifetimeCap.ShouldBe(Pure(10));
        carried.RetainedDebits().Count.ShouldBe(2);
    }
}

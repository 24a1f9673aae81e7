using System.Text.Json;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit.Events;

public sealed class BudgetDebitEventTests
{
    [Fact]
    public void BudgetDebit_ReportsChargedCostSpendsCapsAndRemaining()
    {
        var released = ReleaseFirstWindow(AllKinds());
        var ledger = released.Ledger;
        var count = released.Outcomes[0];

        var cloudEvent = Decode(Writer().BudgetDebit(Segment, count, ledger));
        var data = (JsonElement)cloudEvent.Data!;

        cloudEvent.Type.ShouldBe(AuditEventTypes.BudgetDebit);
        cloudEvent.Subject.ShouldBe(Segment);
        cloudEvent.Id.ShouldBe(AuditEventWriter.DeterministicId(AuditEventTypes.BudgetDebit, Segment, "v1", count.Key.ToString()));
        data.GetProperty("releaseKey").GetString().ShouldBe(count.Key.ToString());
        data.GetProperty("aggregate").GetString().ShouldBe("visits");
        data.GetProperty("accountant").GetString().ShouldBe("basic");
        data.GetProperty("sequence").GetInt64().ShouldBe(1);
        var charged = data.GetProperty("charged");
        charged.GetProperty("kind").GetString().ShouldBe("pure");
        charged.GetProperty("epsilon").GetDouble().ShouldBe(0.5);
        charged.GetProperty("delta").GetDouble().ShouldBe(0);
        // The window's spend is rewound to right after this (first) debit, although the rest of the window followed.
        data.GetProperty("windowSpend").GetProperty("epsilon").GetDouble().ShouldBe(0.5);
        data.GetProperty("windowSpend").GetProperty("delta").GetDouble().ShouldBe(0);
        data.GetProperty("windowSpend").GetProperty("count").GetInt64().ShouldBe(1);
        data.GetProperty("windowCap").GetProperty("epsilon").GetDouble().ShouldBe(10);
        data.GetProperty("remainingInWindow").GetProperty("epsilon").GetDouble().ShouldBe(9.5);
        // Lifetime figures are the ledger's as of its latest debit.
        data.GetProperty("ledgerSequence").GetInt64().ShouldBe(released.Outcomes.Count);
        data.GetProperty("lifetimeSpend").GetProperty("epsilon").GetDouble().ShouldBe(ledger.LifetimeSpend.Epsilon.Value);
        data.GetProperty("lifetimeSpend").GetProperty("count").GetInt64().ShouldBe(ledger.LifetimeSpend.Count);
        data.GetProperty("lifetimeCap").GetProperty("kind").GetString().ShouldBe("approximate");
        data.GetProperty("remainingLifetime").GetProperty("epsilon").GetDouble().ShouldBe(ledger.RemainingLifetime().Epsilon.Value);
        data.GetProperty("lifetimeGuarantee").GetProperty("epsilon").GetDouble().ShouldBe(ledger.LifetimeSpend.Epsilon.Value);
    }

    [Fact]
    public void BudgetDebit_LastDebitOfWindow_WindowSpendMatchesLedgerExactly()
    {
        var released = ReleaseFirstWindow(AllKinds());
        var ledger = released.Ledger;
        var last = released.Outcomes.MaxBy(o => ledger.FindDebit(o.Key)!.Sequence)!;

        var data = (JsonElement)Decode(Writer().BudgetDebit(Segment, last, ledger)).Data!;

        var spend = ledger.WindowSpend(0);
        var remaining = ledger.RemainingInWindow(0);
        data.GetProperty("sequence").GetInt64().ShouldBe(data.GetProperty("ledgerSequence").GetInt64());
        data.GetProperty("windowSpend").GetProperty("epsilon").GetDouble().ShouldBe(spend.Epsilon.Value);
        data.GetProperty("windowSpend").GetProperty("delta").GetDouble().ShouldBe(spend.Delta.Value);
        data.GetProperty("windowSpend").GetProperty("rho").GetDouble().ShouldBe(spend.Rho.Value);
        data.GetProperty("windowSpend").GetProperty("count").GetInt64().ShouldBe(spend.Count);
        data.GetProperty("remainingInWindow").GetProperty("epsilon").GetDouble().ShouldBe(remaining.Epsilon.Value);
        data.GetProperty("remainingInWindow").GetProperty("delta").GetDouble().ShouldBe(remaining.Delta.Value);
    }

    [Fact]
    public void BudgetDebit_ContinualTotal_ReportsItsWholeCost()
    {
        var released = ReleaseFirstWindow(AllKinds());
        var continual = released.Outcomes[1];
        continual.Continual.ShouldBeTrue();

        var data = (JsonElement)Decode(Writer().BudgetDebit(Segment, continual, released.Ledger)).Data!;

        data.GetProperty("continual").GetBoolean().ShouldBeTrue();
        data.GetProperty("charged").GetProperty("epsilon").GetDouble().ShouldBe(continual.Charged!.Value.Epsilon.Value);
        data.GetProperty("sequence").GetInt64().ShouldBe(released.Ledger.FindDebit(continual.Key)!.Sequence);
    }

    [Fact]
    public void BudgetDebit_Misuse_Throws()
    {
        var writer = Writer();
        var (spec, released, paid, suppressed, replayed) = CappedPair();

        Should.Throw<ArgumentException>(() => writer.BudgetDebit(Segment, replayed, released.Ledger));
        Should.Throw<ArgumentException>(() => writer.BudgetDebit(Segment, suppressed, released.Ledger));
        Should.Throw<ArgumentException>(() => writer.BudgetDebit("other", paid, released.Ledger));
        Should.Throw<ArgumentException>(() => writer.BudgetDebit(Segment, paid, spec.Budget.CreateLedger())); // not debited
    }
}

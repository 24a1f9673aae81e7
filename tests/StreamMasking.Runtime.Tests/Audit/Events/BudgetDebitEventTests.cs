using System.Text;
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

    [Fact]
    public void BudgetDebit_FirstDebitOfWindow_WritesTheContractBytes()
    {
        var released = ReleaseFirstWindow(AllKinds());

        var record = Writer().BudgetDebit(Segment, released.Outcomes[0], released.Ledger);

        // The audit contract byte for byte: field order, number formatting (1E-06), the window spend rewound to this
        // first debit while the lifetime figures include all six.
        Encoding.UTF8.GetString(record.Message.Value!).ShouldBe(
            """
            {"specversion":"1.0","id":"b7c42d6a44b3bd92fa5eedf1f8ad9a4c","source":"urn:streammasking:instance:node-1","type":"io.streammasking.budget.debit","time":"2026-11-23T12:00:00.123Z","subject":"clinic-a.eu.visits","datacontenttype":"application/json","data":{"segment":"clinic-a.eu.visits","policyVersion":"v1","releaseKey":"0/visits/b7e4ef87ac77f1f0a817e214abea3e14","aggregate":"visits","continual":false,"window":{"index":0,"start":"1970-01-01T00:00:00.000Z","end":"1970-01-01T00:01:00.000Z"},"accountant":"basic","sequence":1,"charged":{"kind":"pure","epsilon":0.5,"delta":0,"rho":0},"windowSpend":{"epsilon":0.5,"delta":0,"rho":0.125,"count":1},"windowCap":{"kind":"approximate","epsilon":10,"delta":0.001,"rho":0},"remainingInWindow":{"kind":"approximate","epsilon":9.5,"delta":0.001,"rho":0},"ledgerSequence":6,"lifetimeSpend":{"epsilon":3,"delta":1E-06,"rho":0.625,"count":6},"lifetimeCap":{"kind":"approximate","epsilon":1000,"delta":0.1,"rho":0},"remainingLifetime":{"kind":"approximate","epsilon":997,"delta":0.099999,"rho":0},"lifetimeGuarantee":{"kind":"approximate","epsilon":3,"delta":1E-06,"rho":0}}}
            """);
    }
}

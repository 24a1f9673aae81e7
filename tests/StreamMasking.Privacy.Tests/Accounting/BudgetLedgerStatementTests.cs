using FsCheck.Xunit;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Privacy.Tests.Accounting;

public class BudgetLedgerStatementTests
{
    private static readonly PrivacyCost[] s_costs =
    [
        PrivacyCost.Pure(new Epsilon(0.05)),
        PrivacyCost.Pure(new Epsilon(1.0 / 3)),
        PrivacyCost.Approximate(new Epsilon(0.1), new Delta(1e-7)),
        PrivacyCost.Approximate(new Epsilon(0.7), new Delta(4e-7)),
        PrivacyCost.Zcdp(new Rho(0.02)),
        PrivacyCost.Zcdp(new Rho(1.0 / 7)),
    ];

    private static PrivacyCost Pure(double epsilon) => PrivacyCost.Pure(new Epsilon(epsilon));

    private static PrivacyCost Approx(double epsilon, double delta) =>
        PrivacyCost.Approximate(new Epsilon(epsilon), new Delta(delta));

    private static BudgetLedger BasicLedger(int retained = 3) =>
        new(BasicCompositionAccountant.Instance, Approx(1.0, 1e-6), Approx(2.5, 1e-5), retained);

    private static BudgetLedger NewLedger(int accountant) => accountant switch
    {
        0 => BasicLedger(),
        1 => new BudgetLedger(
            new ZcdpAccountant(new Delta(1e-6)), PrivacyCost.Zcdp(new Rho(0.4)), PrivacyCost.Zcdp(new Rho(1)), 2),
        _ => new BudgetLedger(
            new AdaptiveCompositionFilter(new Delta(1e-7)), Approx(1, 1e-6), Approx(2, 2e-6), 4),
    };

    [Fact]
    public void FindStatement_EarlierDebitOfWindow_ReportsWindowAsRightAfterItAndLifetimeAsNow()
    {
        var ledger = BasicLedger();
        ledger.TryDebit(new ReleaseKey(7, "count"), Approx(0.25, 1e-7)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(7, "sum"), Pure(0.5)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(7, "mean"), Pure(0.125)).IsPaid.ShouldBeTrue();

        var statement = ledger.FindStatement(new ReleaseKey(7, "sum"))!;

        statement.Debit.ShouldBe(ledger.FindDebit(new ReleaseKey(7, "sum")));
        statement.Debit.Sequence.ShouldBe(2);
        statement.WindowSpend.Epsilon.Value.ShouldBe(0.75);
        statement.WindowSpend.Delta.Value.ShouldBe(1e-7);
        statement.WindowSpend.Count.ShouldBe(2);
        statement.RemainingInWindow.Epsilon.Value.ShouldBe(0.25);
        ledger.WindowSpend(7).Epsilon.Value.ShouldBe(0.875, "the window already holds the later debit");
        statement.LedgerSequence.ShouldBe(3);
        statement.LifetimeSpend.ShouldBe(ledger.LifetimeSpend);
        statement.LifetimeSpend.Count.ShouldBe(3);
        statement.RemainingLifetime.ShouldBe(ledger.RemainingLifetime());
        statement.RemainingLifetime.Epsilon.Value.ShouldBe(1.625);
        statement.LifetimeGuarantee.ShouldBe(ledger.Accountant.Guarantee(ledger.LifetimeSpend));
    }

    [Fact]
    public void FindStatement_LastDebitOfWindow_MatchesTheLedgersWindowTotals()
    {
        var ledger = BasicLedger();
        ledger.TryDebit(new ReleaseKey(1, "a"), Pure(0.1)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(1, "b"), Pure(0.2)).IsPaid.ShouldBeTrue();

        var statement = ledger.FindStatement(new ReleaseKey(1, "b"))!;

        statement.WindowSpend.ShouldBe(ledger.WindowSpend(1));
        statement.RemainingInWindow.ShouldBe(ledger.RemainingInWindow(1));
        statement.LedgerSequence.ShouldBe(statement.Debit.Sequence);
    }

    [Fact]
    public void FindStatement_DebitsOfOtherWindows_CountForLifetimeOnly()
    {
        var ledger = BasicLedger();
        ledger.TryDebit(new ReleaseKey(1, "a"), Pure(0.5)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(2, "a"), Pure(0.25)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(1, "b"), Pure(0.125)).IsPaid.ShouldBeTrue();

        var first = ledger.FindStatement(new ReleaseKey(1, "a"))!;
        var late = ledger.FindStatement(new ReleaseKey(1, "b"))!;

        first.WindowSpend.Epsilon.Value.ShouldBe(0.5);
        first.WindowSpend.Count.ShouldBe(1);
        late.WindowSpend.Epsilon.Value.ShouldBe(0.625);
        late.WindowSpend.Count.ShouldBe(2);
        first.LedgerSequence.ShouldBe(3);
        first.LifetimeSpend.Epsilon.Value.ShouldBe(0.875);
    }

    [Fact]
    public void FindStatement_UnknownOrForgottenKey_IsNull()
    {
        var ledger = BasicLedger(retained: 1);
        ledger.TryDebit(new ReleaseKey(1, "a"), Pure(0.5)).IsPaid.ShouldBeTrue();

        ledger.FindStatement(new ReleaseKey(1, "b")).ShouldBeNull();
        ledger.FindStatement(new ReleaseKey(2, "a")).ShouldBeNull();

        ledger.TryDebit(new ReleaseKey(2, "a"), Pure(0.5)).IsPaid.ShouldBeTrue();
        ledger.FindStatement(new ReleaseKey(1, "a")).ShouldBeNull(); // window 1 is sealed and forgotten
        ledger.FindStatement(new ReleaseKey(2, "a")).ShouldNotBeNull();
    }

    [Fact]
    public void FindStatement_AfterRestore_IsTheSame()
    {
        var ledger = BasicLedger();
        ledger.TryDebit(new ReleaseKey(3, "a"), Approx(0.3, 1e-7)).IsPaid.ShouldBeTrue();
        ledger.TryDebit(new ReleaseKey(3, "b"), Pure(1.0 / 3)).IsPaid.ShouldBeTrue();

        var restored = BudgetLedger.FromBytes(ledger.ToBytes());

        restored.FindStatement(new ReleaseKey(3, "a")).ShouldBe(ledger.FindStatement(new ReleaseKey(3, "a")));
    }

    /// <summary>
    /// Whatever followed, the statement of a retained debit reports bit for bit the window spend and remainder the
    /// ledger held right after that debit, and the ledger's current lifetime figures.
    /// </summary>
    [Property(MaxTest = 150)]
    public void FindStatement_AnySequence_WindowFiguresEqualThoseRightAfterTheDebit((byte, byte, byte)[] ops, byte accountantChoice)
    {
        var ledger = NewLedger(accountantChoice % 3);
        var rightAfter = new Dictionary<ReleaseKey, (PrivacySpend Spend, PrivacyCost Remaining)>();
        foreach (var (window, name, cost) in ops)
        {
            var key = new ReleaseKey(window % 6, "m" + (name % 5));
            if (ledger.TryDebit(key, s_costs[cost % s_costs.Length]).Outcome == DebitOutcome.Debited)
            {
                rightAfter[key] = (ledger.WindowSpend(key.Window), ledger.RemainingInWindow(key.Window));
            }
        }

        var retained = ledger.RetainedDebits();
        foreach (var debit in retained)
        {
            var statement = ledger.FindStatement(debit.Key);
            statement.ShouldNotBeNull();
            statement.Debit.ShouldBe(debit);
            statement.WindowSpend.ShouldBe(rightAfter[debit.Key].Spend);
            statement.RemainingInWindow.ShouldBe(rightAfter[debit.Key].Remaining);
            statement.LedgerSequence.ShouldBe(retained[^1].Sequence);
            statement.LifetimeSpend.ShouldBe(ledger.LifetimeSpend);
            statement.RemainingLifetime.ShouldBe(ledger.RemainingLifetime());
            statement.LifetimeGuarantee.ShouldBe(ledger.Accountant.Guarantee(ledger.LifetimeSpend));
        }
    }
}

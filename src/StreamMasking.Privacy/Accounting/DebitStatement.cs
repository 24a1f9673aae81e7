namespace StreamMasking.Privacy.Accounting;

/// <summary>
/// What one retained debit left in its <see cref="BudgetLedger"/>, for reporting (the audit's budget-debit event):
/// the window's figures as they stood right after the debit, and the ledger's lifetime figures as of
/// <see cref="LedgerSequence"/>. Read with <see cref="BudgetLedger.FindStatement"/>.
/// </summary>
/// <param name="Debit">The debit.</param>
/// <param name="WindowSpend">The spend of the debit's window right after it: the in-order composition of the window's
/// debits up to and including this one, although later debits of the same window may already have followed.</param>
/// <param name="RemainingInWindow">What remained under the window cap right after the debit.</param>
/// <param name="LedgerSequence">The sequence of the ledger's newest retained debit: the lifetime figures include every
/// debit up to it (equal to the debit's own sequence when it is the newest).</param>
/// <param name="LifetimeSpend">The ledger's lifetime spend as of <paramref name="LedgerSequence"/>. Lifetime totals
/// cannot be rewound to the debit exactly (older debits are forgotten), so they are the ledger's current ones.</param>
/// <param name="RemainingLifetime">What remains under the lifetime cap as of <paramref name="LedgerSequence"/>.</param>
/// <param name="LifetimeGuarantee">The (ε, δ) guarantee of <paramref name="LifetimeSpend"/>.</param>
public sealed record DebitStatement(
    DebitRecord Debit,
    PrivacySpend WindowSpend,
    PrivacyCost RemainingInWindow,
    long LedgerSequence,
    PrivacySpend LifetimeSpend,
    PrivacyCost RemainingLifetime,
    PrivacyCost LifetimeGuarantee);

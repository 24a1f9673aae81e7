using StreamMasking.Core.Release;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Audit.Events;

/// <summary>The <see cref="AuditEventTypes.BudgetDebit"/> event.</summary>
/// <remarks>
/// <see cref="WindowReleaser.Release"/> debits every aggregate of a window before the runtime sees any outcome, so
/// the ledger passed in may already hold later debits of the same window. The figures come from
/// <see cref="BudgetLedger.FindStatement"/>: the window's spend (and what remains in it) exactly as it stood right
/// after this debit; <c>lifetimeSpend</c>, <c>remainingLifetime</c> and <c>lifetimeGuarantee</c> the ledger's state
/// when the event is built, which includes every debit up to <c>ledgerSequence</c> (equal to <c>sequence</c> for the
/// window's last debit). Build it right after releasing the window, before the next window is released: the debit
/// must still be retained, or it throws.
/// </remarks>
internal static class BudgetDebitEvent
{
    /// <summary>
    /// A release was paid from <paramref name="segment"/>'s budget. Data: segment, policy version, release key,
    /// aggregate, continual, window, accountant, debit sequence, the charged cost, the window's spend right after
    /// this debit, the window cap and what remained in the window, then (read from <paramref name="ledger"/>, already
    /// debited, as of <c>ledgerSequence</c>) the lifetime spend, lifetime cap, remaining lifetime budget and lifetime
    /// (ε, δ) guarantee. Deterministic id.
    /// </summary>
    /// <exception cref="ArgumentException">Nothing was charged, the release is missing or of another segment, or
    /// <paramref name="ledger"/> holds no debit of this cost under the outcome's release key.</exception>
    internal static OutputRecord BudgetDebit(this AuditEventWriter writer, string segment, AggregateReleaseResult outcome, BudgetLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentException.ThrowIfNullOrEmpty(segment);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(ledger);
        if (outcome.Charged is not { } charged || outcome.Release is null)
        {
            throw new ArgumentException("Only an outcome that charged a cost (with its release) has a budget-debit event.", nameof(outcome));
        }

        var release = outcome.Release;
        if (!string.Equals(release.Segment, segment, StringComparison.Ordinal))
        {
            throw new ArgumentException("The release belongs to another segment.", nameof(segment));
        }

        if (ledger.FindStatement(outcome.Key) is not { } statement || statement.Debit.Cost != charged)
        {
            throw new ArgumentException("The ledger holds no debit of the charged cost for this release key.", nameof(ledger));
        }

        var releaseKey = outcome.Key.ToString();
        var id = AuditEventWriter.DeterministicId(AuditEventTypes.BudgetDebit, segment, release.PolicyVersion, releaseKey);
        return writer.Build(AuditEventTypes.BudgetDebit, id, segment, segment, json =>
        {
            json.WriteString("segment", segment);
            json.WriteString("policyVersion", release.PolicyVersion);
            json.WriteString("releaseKey", releaseKey);
            json.WriteString("aggregate", outcome.Aggregate);
            json.WriteBoolean("continual", outcome.Continual);
            AuditJson.WriteWindow(json, outcome.Key.Window, release.WindowStartMs, release.WindowEndMs);
            json.WriteString("accountant", AuditCodes.AccountantName(ledger.Accountant.Kind));
            json.WriteNumber("sequence", statement.Debit.Sequence);
            AuditJson.WriteCost(json, "charged", charged);
            AuditJson.WriteSpend(json, "windowSpend", statement.WindowSpend);
            AuditJson.WriteCost(json, "windowCap", ledger.WindowCap);
            AuditJson.WriteCost(json, "remainingInWindow", statement.RemainingInWindow);
            json.WriteNumber("ledgerSequence", statement.LedgerSequence);
            AuditJson.WriteSpend(json, "lifetimeSpend", statement.LifetimeSpend);
            AuditJson.WriteCost(json, "lifetimeCap", ledger.LifetimeCap);
            AuditJson.WriteCost(json, "remainingLifetime", statement.RemainingLifetime);
            AuditJson.WriteCost(json, "lifetimeGuarantee", statement.LifetimeGuarantee);
        });
    }
}

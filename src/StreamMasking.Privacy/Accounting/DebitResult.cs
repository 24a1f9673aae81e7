namespace StreamMasking.Privacy.Accounting;

/// <summary>Result of <see cref="BudgetLedger.TryDebit"/>.</summary>
/// <param name="Outcome">Debited, already debited (replay) or refused.</param>
/// <param name="Record">The debit paying for the release (the original one on a replay); null when refused.</param>
/// <param name="Reason">Why the debit was refused; <see cref="DebitRefusalReason.None"/> otherwise.</param>
public sealed record DebitResult(DebitOutcome Outcome, DebitRecord? Record, DebitRefusalReason Reason)
{
    /// <summary>Whether the release is paid for and may be emitted.</summary>
    public bool IsPaid => Outcome is DebitOutcome.Debited or DebitOutcome.AlreadyDebited;

    internal static DebitResult Refused(DebitRefusalReason reason) => new(DebitOutcome.Refused, null, reason);
}

namespace StreamMasking.Privacy.Accounting;

/// <summary>One debit the ledger accepted: which release, what it cost, and its position in the ledger's history.</summary>
/// <param name="Key">The release paid for.</param>
/// <param name="Cost">The cost debited.</param>
/// <param name="Sequence">1-based debit number within the ledger (stable across replays and restores).</param>
public sealed record DebitRecord(ReleaseKey Key, PrivacyCost Cost, long Sequence);

namespace StreamMasking.Privacy.Accounting;

/// <summary>One debit the ledger accepted: which release, what it cost, and its position in the ledger's history.</summary>
/// <param name="Key">The release paid for.</param>
/// <param name="Cost">The cost debited.</param>
/// <param name="Sequence">1-based debit number within the ledger (stable across replays and restores).</param>
/// <param name="ValueDigest">Keyed digest (lower-case hex) of the value the release was computed from, or empty when
/// none was given. Kept in the persisted ledger only, never published: a second presentation of the same key with a
/// different digest is refused (<see cref="DebitRefusalReason.LabelReuse"/>), so one noise label never covers two values.</param>
public sealed record DebitRecord(ReleaseKey Key, PrivacyCost Cost, long Sequence, string ValueDigest = "");

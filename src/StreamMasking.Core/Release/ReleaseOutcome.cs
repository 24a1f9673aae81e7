namespace StreamMasking.Core.Release;

/// <summary>What the releaser decided for one release.</summary>
public enum ReleaseOutcome
{
    /// <summary>Paid now: emit the payload (in the same transaction as the persisted ledger).</summary>
    Released = 1,

    /// <summary>Paid before (a replay or retry): nothing was charged; the payload is byte-identical to the original.</summary>
    Replayed = 2,

    /// <summary>Not paid: emit nothing (audit and count the reason).</summary>
    Suppressed = 3,
}

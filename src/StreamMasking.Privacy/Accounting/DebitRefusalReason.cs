namespace StreamMasking.Privacy.Accounting;

/// <summary>Why a debit was refused.</summary>
public enum DebitRefusalReason
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The release's window would exceed its per-window cap.</summary>
    WindowCapExceeded = 1,

    /// <summary>The ledger would exceed its lifetime cap.</summary>
    LifetimeCapExceeded = 2,

    /// <summary>The accountant cannot compose costs of this kind (e.g. a ρ under basic composition).</summary>
    UnsupportedCostKind = 3,

    /// <summary>The window is older than the retained horizon; its release keys are forgotten, so it is sealed.</summary>
    WindowSealed = 4,

    /// <summary>The release key was paid before with a different cost.</summary>
    ReleaseKeyConflict = 5,

    /// <summary>Composing the cost overflowed (a sum became infinite or δ exceeded 1).</summary>
    ArithmeticOverflow = 6,

    /// <summary>
    /// The key was paid for a different value (its stored value digest differs): the same noise label would cover two
    /// values, so the release is refused.
    /// </summary>
    LabelReuse = 7,
}

namespace StreamMasking.Core.Release;

/// <summary>Why a release was suppressed.</summary>
public enum SuppressionReason
{
    /// <summary>Not suppressed.</summary>
    None = 0,

    /// <summary>The window's budget cap would be exceeded.</summary>
    WindowCapExceeded = 1,

    /// <summary>The segment's lifetime cap would be exceeded.</summary>
    LifetimeCapExceeded = 2,

    /// <summary>The accountant cannot compose this release's cost.</summary>
    UnsupportedCostKind = 3,

    /// <summary>The window is older than the ledger's retained horizon (its release keys are forgotten).</summary>
    WindowSealed = 4,

    /// <summary>The release key was paid before with a different cost (spec changed without a new policy version).</summary>
    ReleaseKeyConflict = 5,

    /// <summary>Composing the cost overflowed.</summary>
    ArithmeticOverflow = 6,

    /// <summary>The continual counter already consumed a later window; an older total cannot be recomputed.</summary>
    ContinualStepPassed = 7,

    /// <summary>
    /// <c>label_reuse_refused</c>: the release's noise label was already used for a different value (the persisted
    /// value digest differs), so releasing would let the two outputs cancel the noise.
    /// </summary>
    LabelReuseRefused = 8,

    /// <summary>
    /// <c>continual_state_lost</c>: a continual counter of this segment was started but its state is missing or
    /// unreadable; it stays silent until an operator starts a new counter incarnation.
    /// </summary>
    ContinualStateLost = 9,
}

namespace StreamMasking.Core.Release;

/// <summary>What <see cref="ContinualRestore.Restore"/> found in the store.</summary>
public enum ContinualRestoreOutcome
{
    /// <summary>No counter state and none was ever started: new, empty totals.</summary>
    Fresh,

    /// <summary>The persisted counters, bound to the current spec content, continue.</summary>
    Restored,

    /// <summary>
    /// The persisted counters are bound to other spec content (a policy transition): new counters start, each with a
    /// new incarnation and charged anew when it first releases.
    /// </summary>
    Transition,

    /// <summary>
    /// Counters were started but their state is missing, unreadable or marked lost: the totals refuse every release
    /// (<see cref="SuppressionReason.ContinualStateLost"/>) until an operator starts a new incarnation.
    /// </summary>
    Lost,

    /// <summary>The operator started a new incarnation for lost counters: new counters, charged anew.</summary>
    NewIncarnation,
}

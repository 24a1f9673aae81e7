namespace StreamMasking.Runtime.Diagnostics;

/// <summary>A consistent copy of <see cref="PipelineCounters"/>; all counts are of committed records.</summary>
/// <param name="Consumed">Input records consumed from the input topics.</param>
/// <param name="Published">Masked records published to segment topics.</param>
/// <param name="DeadLettered">Records written to the dead-letter topic (by either stage).</param>
/// <param name="Dropped">Records deliberately dropped (late records under <c>late: drop</c>, privacy units over their cap under <c>overCap: drop</c>).</param>
/// <param name="InFlight">Records routed into the repartition topic and not yet masked.</param>
/// <param name="RoutedBySegment">Records routed to each segment by stage "route".</param>
/// <param name="PublishedBySegment">Masked records published per segment.</param>
/// <param name="DeadLettersByReason">Dead letters per reason code.</param>
/// <param name="CommittedTransactions">Transactions committed by both stages.</param>
/// <param name="AbortedTransactions">Transactions aborted by both stages.</param>
public sealed record PipelineSnapshot(
    long Consumed,
    long Published,
    long DeadLettered,
    long Dropped,
    long InFlight,
    IReadOnlyDictionary<string, long> RoutedBySegment,
    IReadOnlyDictionary<string, long> PublishedBySegment,
    IReadOnlyDictionary<string, long> DeadLettersByReason,
    long CommittedTransactions,
    long AbortedTransactions)
{
    /// <summary>Dropped records per "segment/reason" (reason codes <c>late_record</c>, <c>unit_cap_exceeded</c>).</summary>
    public IReadOnlyDictionary<string, long> DroppedBySegmentAndReason { get; init; } = new Dictionary<string, long>();

    /// <summary>Records published without their noised fields because their privacy unit was over its cap.</summary>
    public long StrippedOverCap { get; init; }

    /// <summary>Records that arrived for an already closed window (dead-lettered or dropped, per policy).</summary>
    public long LateRecords { get; init; }

    /// <summary>Aggregate contributions ignored by contribution bounds (the records themselves were processed).</summary>
    public long ContributionsCapped { get; init; }

    /// <summary>Windows sealed (their final state committed, awaiting or past release).</summary>
    public long WindowsSealed { get; init; }

    /// <summary>Aggregate releases (window values and continual totals) emitted to the aggregates topic.</summary>
    public long Releases { get; init; }

    /// <summary>Releases per segment.</summary>
    public IReadOnlyDictionary<string, long> ReleasesBySegment { get; init; } = new Dictionary<string, long>();

    /// <summary>Releases suppressed because they would exceed a budget (or could not be charged).</summary>
    public long Suppressions { get; init; }

    /// <summary>Suppressions per reason code.</summary>
    public IReadOnlyDictionary<string, long> SuppressionsByReason { get; init; } = new Dictionary<string, long>();

    /// <summary>ε debited per segment by committed releases in this process (pure and approximate DP).</summary>
    public IReadOnlyDictionary<string, double> EpsilonChargedBySegment { get; init; } = new Dictionary<string, double>();

    /// <summary>ρ debited per segment by committed releases in this process (zCDP).</summary>
    public IReadOnlyDictionary<string, double> RhoChargedBySegment { get; init; } = new Dictionary<string, double>();

    /// <summary>State store partitions restored from their changelogs.</summary>
    public long StoresRestored { get; init; }

    /// <summary>Changelog records replayed by those restores.</summary>
    public long RecordsRestored { get; init; }

    /// <summary>Total wall time spent restoring.</summary>
    public TimeSpan RestoreTime { get; init; }

    /// <summary>The accounting invariant: every consumed record is published, dead-lettered, dropped or in flight.</summary>
    public bool IsBalanced => Consumed == Published + DeadLettered + Dropped + InFlight;
}

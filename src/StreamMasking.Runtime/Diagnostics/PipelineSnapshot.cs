namespace StreamMasking.Runtime.Diagnostics;

/// <summary>A consistent copy of <see cref="PipelineCounters"/>; all counts are of committed records.</summary>
/// <param name="Consumed">Input records consumed from the input topics.</param>
/// <param name="Published">Masked records published to segment topics.</param>
/// <param name="DeadLettered">Records written to the dead-letter topic (by either stage).</param>
/// <param name="Dropped">Records deliberately dropped (none in this version).</param>
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
    /// <summary>The accounting invariant: every consumed record is published, dead-lettered, dropped or in flight.</summary>
    public bool IsBalanced => Consumed == Published + DeadLettered + Dropped + InFlight;
}

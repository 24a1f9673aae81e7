namespace StreamMasking.Runtime.Diagnostics;

/// <summary>
/// Counts of one open transaction. Applied to <see cref="PipelineCounters"/> only when the transaction commits and
/// discarded when it aborts, so the counters describe exactly what a read_committed consumer can see.
/// </summary>
internal sealed class TransactionTally
{
    internal long Consumed { get; private set; }

    internal long Forwarded { get; private set; }

    internal long Published { get; private set; }

    internal long DeadLettered { get; private set; }

    internal Dictionary<string, long> ForwardedBySegment { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, long> PublishedBySegment { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, long> DeadLetteredByReason { get; } = new(StringComparer.Ordinal);

    internal bool IsEmpty => Consumed == 0 && Forwarded == 0 && Published == 0 && DeadLettered == 0;

    internal void AddConsumed() => Consumed++;

    internal void Add(OutputKind kind, string? segment, string? reasonCode)
    {
        switch (kind)
        {
            case OutputKind.Forwarded:
                Forwarded++;
                Increment(ForwardedBySegment, segment ?? string.Empty);
                break;
            case OutputKind.Published:
                Published++;
                Increment(PublishedBySegment, segment ?? string.Empty);
                break;
            case OutputKind.DeadLettered:
                DeadLettered++;
                Increment(DeadLetteredByReason, reasonCode ?? "unknown");
                break;
            case OutputKind.Auxiliary:
            default:
                break;
        }
    }

    internal void Clear()
    {
        Consumed = Forwarded = Published = DeadLettered = 0;
        ForwardedBySegment.Clear();
        PublishedBySegment.Clear();
        DeadLetteredByReason.Clear();
    }

    private static void Increment(Dictionary<string, long> map, string key)
    {
        map[key] = map.GetValueOrDefault(key) + 1;
    }
}

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

    internal long Dropped { get; private set; }

    internal long StrippedOverCap { get; private set; }

    internal long LateRecords { get; private set; }

    internal long ContributionsCapped { get; private set; }

    internal long WindowsSealed { get; private set; }

    internal long Releases { get; private set; }

    internal long Suppressions { get; private set; }

    /// <summary>Audit events written in the transaction (lost if it aborts).</summary>
    internal long AuditEvents { get; private set; }

    internal Dictionary<string, long> ForwardedBySegment { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, long> PublishedBySegment { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, long> DeadLetteredByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>Dead letters per segment ("" when no segment is known).</summary>
    internal Dictionary<string, long> DeadLetteredBySegment { get; } = new(StringComparer.Ordinal);

    /// <summary>Deliberately dropped records per (segment, reason code).</summary>
    internal Dictionary<(string Segment, string Reason), long> DroppedBySegment { get; } = [];

    /// <summary>Records published without their noised fields (privacy unit over its cap) per segment.</summary>
    internal Dictionary<string, long> StrippedBySegment { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, long> ReleasesBySegment { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, long> SuppressionsByReason { get; } = new(StringComparer.Ordinal);

    /// <summary>Suppressed releases per (segment, reason code).</summary>
    internal Dictionary<(string Segment, string Reason), long> SuppressionsBySegment { get; } = [];

    /// <summary>Windows sealed per segment.</summary>
    internal Dictionary<string, long> SealedBySegment { get; } = new(StringComparer.Ordinal);

    /// <summary>Records that arrived for a closed window, per segment.</summary>
    internal Dictionary<string, long> LateBySegment { get; } = new(StringComparer.Ordinal);

    /// <summary>ε charged per segment (pure and approximate DP debits).</summary>
    internal Dictionary<string, double> EpsilonChargedBySegment { get; } = new(StringComparer.Ordinal);

    /// <summary>ρ charged per segment (zCDP debits).</summary>
    internal Dictionary<string, double> RhoChargedBySegment { get; } = new(StringComparer.Ordinal);

    internal bool IsEmpty => Consumed == 0 && Forwarded == 0 && Published == 0 && DeadLettered == 0 && Dropped == 0
        && WindowsSealed == 0 && Releases == 0 && Suppressions == 0;

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
                Increment(DeadLetteredBySegment, segment ?? string.Empty);
                break;
            case OutputKind.Audit:
                AuditEvents++;
                break;
            case OutputKind.Auxiliary:
            default:
                break;
        }
    }

    /// <summary>An input record was deliberately not published (and not dead-lettered).</summary>
    internal void AddDropped(string segment, string reasonCode)
    {
        Dropped++;
        DroppedBySegment[(segment, reasonCode)] = DroppedBySegment.GetValueOrDefault((segment, reasonCode)) + 1;
    }

    /// <summary>A record was published with its noised fields removed (its privacy unit was over the cap).</summary>
    internal void AddStripped(string segment)
    {
        StrippedOverCap++;
        Increment(StrippedBySegment, segment);
    }

    /// <summary>Privacy units whose lifetime cap for event-level noise was spent in the transaction, per segment.</summary>
    internal Dictionary<string, long> UnitsExhaustedBySegment { get; } = new(StringComparer.Ordinal);

    /// <summary>One more privacy unit spent its lifetime cap for event-level noise.</summary>
    internal void AddUnitLifetimeExhausted(string segment) => Increment(UnitsExhaustedBySegment, segment);

    /// <summary>Writer-schema fields reported as not named by a segment's rules in the transaction, per segment.</summary>
    internal Dictionary<string, long> UnnamedFieldsBySegment { get; } = new(StringComparer.Ordinal);

    /// <summary><paramref name="count"/> fields of a newly seen writer schema are not named by the segment's rules.</summary>
    internal void AddUnnamedFields(string segment, int count) =>
        UnnamedFieldsBySegment[segment] = UnnamedFieldsBySegment.GetValueOrDefault(segment) + count;

    /// <summary>A record arrived for a closed window (whether dead-lettered or dropped).</summary>
    internal void AddLate(string segment)
    {
        LateRecords++;
        Increment(LateBySegment, segment);
    }

    /// <summary>Aggregate contributions ignored by a contribution bound.</summary>
    internal void AddContributionsCapped(int count) => ContributionsCapped += count;

    internal void AddSealed(string segment, int count)
    {
        WindowsSealed += count;
        if (count > 0)
        {
            SealedBySegment[segment] = SealedBySegment.GetValueOrDefault(segment) + count;
        }
    }

    internal void AddRelease(string segment)
    {
        Releases++;
        Increment(ReleasesBySegment, segment);
    }

    internal void AddSuppression(string segment, string reasonCode)
    {
        Suppressions++;
        Increment(SuppressionsByReason, reasonCode);
        SuppressionsBySegment[(segment, reasonCode)] = SuppressionsBySegment.GetValueOrDefault((segment, reasonCode)) + 1;
    }

    internal void AddCharge(string segment, double epsilon, double rho)
    {
        if (epsilon > 0)
        {
            EpsilonChargedBySegment[segment] = EpsilonChargedBySegment.GetValueOrDefault(segment) + epsilon;
        }

        if (rho > 0)
        {
            RhoChargedBySegment[segment] = RhoChargedBySegment.GetValueOrDefault(segment) + rho;
        }
    }

    internal void Clear()
    {
        Consumed = Forwarded = Published = DeadLettered = Dropped = 0;
        StrippedOverCap = LateRecords = ContributionsCapped = WindowsSealed = Releases = Suppressions = AuditEvents = 0;
        ForwardedBySegment.Clear();
        PublishedBySegment.Clear();
        DeadLetteredByReason.Clear();
        DeadLetteredBySegment.Clear();
        DroppedBySegment.Clear();
        StrippedBySegment.Clear();
        UnitsExhaustedBySegment.Clear();
        UnnamedFieldsBySegment.Clear();
        ReleasesBySegment.Clear();
        SuppressionsByReason.Clear();
        SuppressionsBySegment.Clear();
        SealedBySegment.Clear();
        LateBySegment.Clear();
        EpsilonChargedBySegment.Clear();
        RhoChargedBySegment.Clear();
    }

    private static void Increment(Dictionary<string, long> map, string key)
    {
        map[key] = map.GetValueOrDefault(key) + 1;
    }
}

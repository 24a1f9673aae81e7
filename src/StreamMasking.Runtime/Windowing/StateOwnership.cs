using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// The ownership rule of the DP state, checked rather than assumed: the state of segment <c>s</c> lives on
/// partition <see cref="SegmentPartitioner.PartitionOf"/>(s, N) of the stage's input topic, where N is the topic's
/// partition count, and only there. Budget ledgers, unit caps and releases are per (partition, segment), so a segment
/// on two partitions would have two ledgers and two releases per window, and a segment moved by a partition count
/// change would start a fresh ledger. Each check returns the violation (the stage then stops) or null.
/// </summary>
internal sealed class StateOwnership(string topic, string changelogTopic, IReadOnlyCollection<string> segments)
{
    private int _partitionCount;

    /// <summary>The input topic.</summary>
    internal string Topic => topic;

    /// <summary>The input topic's partition count, as of the last assignment (0 before the first).</summary>
    internal int PartitionCount => _partitionCount;

    /// <summary>
    /// At assignment: the input topic has <paramref name="inputPartitions"/> partitions, the state changelog
    /// <paramref name="changelogPartitions"/> (0 when it does not exist yet). The changelog was created with one
    /// partition per input partition, so a difference means the input was repartitioned under existing state.
    /// </summary>
    internal OwnershipViolation? CheckLayout(int inputPartitions, int changelogPartitions)
    {
        _partitionCount = inputPartitions;
        if (inputPartitions < 1)
        {
            return new OwnershipViolation(OwnershipViolation.Unverifiable, topic, null, -1,
                $"Cannot read the partition count of topic '{topic}'; the DP state's ownership cannot be verified, so the stage stops.");
        }

        if (changelogPartitions == 0 || changelogPartitions == inputPartitions)
        {
            return null;
        }

        var moved = segments
            .Select(s => (Segment: s, From: SegmentPartitioner.PartitionOf(s, changelogPartitions), To: SegmentPartitioner.PartitionOf(s, inputPartitions)))
            .ToList();
        var named = moved.Where(m => m.From != m.To).DefaultIfEmpty(moved.FirstOrDefault()).First();
        var list = string.Join(", ", moved.Select(m => $"'{m.Segment}' (partition {m.From} -> {m.To})"));
        return new OwnershipViolation(OwnershipViolation.PartitionCountChanged, topic, named.Segment, named.To,
            $"Topic '{topic}' has {inputPartitions} partitions but its DP state was kept for {changelogPartitions} "
            + $"(changelog '{changelogTopic}'); segment {list}: a moved segment would start a fresh budget ledger. "
            + "The stage stops; restore the partition count before restarting.");
    }

    /// <summary>
    /// After restoring the store of <paramref name="partition"/>: every ownership record in it must name this topic,
    /// this partition and the current partition count, and the segment's key must map here. Segments with state but
    /// no record yet (written before records existed) must at least map here.
    /// </summary>
    internal OwnershipViolation? CheckStore(IKeyValueStore store, int partition, IEnumerable<string> segmentsWithState)
    {
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in store.Range(KeyRange.Prefix(StateKeys.OwnerPrefix())))
        {
            var segment = StateKeys.SegmentOf(key);
            recorded.Add(segment);
            if (OwnershipRecord.TryRead(value) is not { } record)
            {
                return new OwnershipViolation(OwnershipViolation.Unverifiable, topic, segment, partition,
                    $"The ownership record of segment '{segment}' on partition {partition} of topic '{topic}' is unreadable; the stage stops.");
            }

            if (!string.Equals(record.Topic, topic, StringComparison.Ordinal))
            {
                return new OwnershipViolation(OwnershipViolation.StateOfOtherTopic, topic, segment, partition,
                    $"The DP state of segment '{segment}' on partition {partition} was written for topic '{record.Topic}', "
                    + $"not '{topic}'; the stage stops.");
            }

            if (record.PartitionCount != _partitionCount)
            {
                return new OwnershipViolation(OwnershipViolation.PartitionCountChanged, topic, segment, partition,
                    $"Topic '{topic}' has {_partitionCount} partitions but the DP state of segment '{segment}' on partition "
                    + $"{partition} was started when it had {record.PartitionCount}; the segment's records would move to "
                    + "another partition with a fresh budget ledger. The stage stops; restore the partition count before restarting.");
            }

            if (record.Partition != partition || CheckArrival(segment, partition) is not null)
            {
                return WrongPartition(segment, partition);
            }
        }

        return segmentsWithState.Where(s => !recorded.Contains(s)).Select(s => CheckArrival(s, partition)).FirstOrDefault(v => v is not null);
    }

    /// <summary>A record of <paramref name="segment"/> arrived on <paramref name="partition"/>: its key must map there.</summary>
    internal OwnershipViolation? CheckArrival(string segment, int partition) =>
        SegmentPartitioner.PartitionOf(segment, _partitionCount) == partition ? null : WrongPartition(segment, partition);

    /// <summary>The ownership record to persist with state started on <paramref name="partition"/>.</summary>
    internal byte[] RecordFor(int partition) => new OwnershipRecord(topic, partition, _partitionCount).ToBytes();

    private OwnershipViolation WrongPartition(string segment, int partition)
    {
        var expected = SegmentPartitioner.PartitionOf(segment, _partitionCount);
        return new OwnershipViolation(OwnershipViolation.SegmentOnWrongPartition, topic, segment, partition,
            $"Segment '{segment}' showed up on partition {partition} of topic '{topic}', but its key belongs to partition "
            + $"{expected} of {_partitionCount}: the topic is not partitioned by segment (murmur2 of the segment name), so "
            + "the segment would have a budget ledger, unit caps and releases on two partitions. The stage stops.");
    }
}

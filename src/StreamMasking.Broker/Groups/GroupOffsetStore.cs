using StreamMasking.Broker.Groups.Persistence;

namespace StreamMasking.Broker.Groups;

/// <summary>
/// Committed offsets of every group, plus offsets staged by open transactions (TxnOffsetCommit) that become committed
/// only when their transaction commits, and each live group's last generation (so that generations keep increasing
/// across a broker restart, as Kafka's group metadata does: a member of a generation before the restart never
/// matches one after it). Optionally durable through a journal. Not thread-safe: the group coordinator serialises
/// access.
/// </summary>
internal sealed class GroupOffsetStore : IDisposable
{
    private const string JournalFileName = "group-offsets.jsonl";

    private readonly Dictionary<string, Dictionary<TopicPartitionKey, CommittedOffset>> _committed = new(StringComparer.Ordinal);

    // group -> producer id -> staged offsets
    private readonly Dictionary<string, Dictionary<long, Dictionary<TopicPartitionKey, CommittedOffset>>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _generations = new(StringComparer.Ordinal);
    private readonly JsonLineJournal<GroupJournalRecord>? _journal;

    /// <summary>Creates a store; with a directory the offsets are loaded from and persisted to it.</summary>
    public GroupOffsetStore(string? stateDirectory)
    {
        if (stateDirectory is null)
        {
            return;
        }

        var path = Path.Combine(stateDirectory, JournalFileName);
        foreach (var record in JsonLineJournal<GroupJournalRecord>.ReadAll(path, CoordinatorJsonContext.Default.GroupJournalRecord))
        {
            Apply(record);
        }

        _journal = JsonLineJournal<GroupJournalRecord>.OpenWithSnapshot(path, CoordinatorJsonContext.Default.GroupJournalRecord, Snapshot());
    }

    public IEnumerable<string> Groups => _committed.Keys.Concat(_pending.Keys).Concat(_generations.Keys).Distinct(StringComparer.Ordinal);

    /// <summary>The last generation formed by <paramref name="group"/> (0 when none is known).</summary>
    public int GenerationOf(string group) => _generations.GetValueOrDefault(group);

    /// <summary>Records that <paramref name="group"/> formed <paramref name="generation"/>.</summary>
    public void RecordGeneration(string group, int generation)
    {
        var record = new GroupJournalRecord("generation", group, Generation: generation);
        _journal?.Append(record);
        Apply(record);
        MaybeCompact();
    }

    /// <summary>Forgets a group that holds nothing any more (an empty group without offsets is dead, as in Kafka).</summary>
    public void Forget(string group)
    {
        if (_generations.ContainsKey(group) || _committed.ContainsKey(group) || _pending.ContainsKey(group))
        {
            DeleteGroup(group);
        }
    }

    public bool HasOffsets(string group) =>
        _committed.TryGetValue(group, out var offsets) && offsets.Count > 0;

    /// <summary>Rewrites the journal once it holds far more records than live offsets (bounded disk use).</summary>
    public void MaybeCompact()
    {
        if (_journal is null)
        {
            return;
        }

        var live = _committed.Values.Sum(o => o.Count) + _pending.Values.Sum(p => p.Values.Sum(o => o.Count)) + _generations.Count;
        if (_journal.AppendsSinceSnapshot > Math.Max(10_000, 4 * live))
        {
            _journal.Compact(Snapshot().ToList());
        }
    }

    public void Commit(string group, IReadOnlyList<KeyValuePair<TopicPartitionKey, CommittedOffset>> offsets)
    {
        if (offsets.Count == 0)
        {
            return;
        }

        var records = offsets.Select(o => new GroupJournalRecord(
            "offset", group, o.Key.Topic, o.Key.Partition, o.Value.Offset, o.Value.LeaderEpoch, o.Value.Metadata, o.Value.CommitTimestampMs)).ToList();
        _journal?.AppendRange(records);
        records.ForEach(Apply);
        MaybeCompact();
    }

    public void Stage(string group, long producerId, IReadOnlyList<KeyValuePair<TopicPartitionKey, CommittedOffset>> offsets)
    {
        var records = offsets.Select(o => new GroupJournalRecord(
            "txn-offset", group, o.Key.Topic, o.Key.Partition, o.Value.Offset, o.Value.LeaderEpoch, o.Value.Metadata,
            o.Value.CommitTimestampMs, producerId)).ToList();
        _journal?.AppendRange(records);
        records.ForEach(Apply);
        MaybeCompact();
    }

    /// <summary>Commits or discards everything <paramref name="producerId"/> staged for <paramref name="group"/>.</summary>
    public void CompleteTransaction(string group, long producerId, bool commit)
    {
        if (!_pending.TryGetValue(group, out var byProducer) || !byProducer.ContainsKey(producerId))
        {
            return;
        }

        var record = new GroupJournalRecord("txn-end", group, ProducerId: producerId, Commit: commit);
        _journal?.Append(record);
        Apply(record);
        MaybeCompact();
    }

    public CommittedOffset? Get(string group, TopicPartitionKey partition) =>
        _committed.TryGetValue(group, out var offsets) ? offsets.GetValueOrDefault(partition) : null;

    public IReadOnlyList<KeyValuePair<TopicPartitionKey, CommittedOffset>> All(string group) =>
        _committed.TryGetValue(group, out var offsets) ? offsets.OrderBy(o => o.Key.Topic, StringComparer.Ordinal).ThenBy(o => o.Key.Partition).ToList() : [];

    /// <summary>Whether an open transaction has staged an offset for this partition (OffsetFetch require_stable).</summary>
    public bool HasPending(string group, TopicPartitionKey partition) =>
        _pending.TryGetValue(group, out var byProducer) && byProducer.Values.Any(p => p.ContainsKey(partition));

    public bool HasPending(string group) => _pending.ContainsKey(group);

    public void DeleteGroup(string group)
    {
        var record = new GroupJournalRecord("delete-group", group);
        _journal?.Append(record);
        Apply(record);
    }

    public void Dispose() => _journal?.Dispose();

    private void Apply(GroupJournalRecord record)
    {
        switch (record.Kind)
        {
            case "offset":
                Offsets(_committed, record.Group)[new TopicPartitionKey(record.Topic!, record.Partition)] = ToOffset(record);
                break;
            case "txn-offset":
                var byProducer = _pending.TryGetValue(record.Group, out var existing) ? existing : _pending[record.Group] = [];
                if (!byProducer.TryGetValue(record.ProducerId, out var staged))
                {
                    staged = byProducer[record.ProducerId] = [];
                }

                staged[new TopicPartitionKey(record.Topic!, record.Partition)] = ToOffset(record);
                break;
            case "txn-end":
                if (_pending.TryGetValue(record.Group, out var producers) && producers.Remove(record.ProducerId, out var done))
                {
                    if (record.Commit)
                    {
                        var target = Offsets(_committed, record.Group);
                        foreach (var (partition, offset) in done)
                        {
                            target[partition] = offset;
                        }
                    }

                    if (producers.Count == 0)
                    {
                        _pending.Remove(record.Group);
                    }
                }

                break;
            case "generation":
                _generations[record.Group] = record.Generation;
                break;
            case "delete-group":
                _committed.Remove(record.Group);
                _pending.Remove(record.Group);
                _generations.Remove(record.Group);
                break;
            default:
                throw new InvalidDataException($"Unknown group journal record kind '{record.Kind}'.");
        }
    }

    private IEnumerable<GroupJournalRecord> Snapshot()
    {
        foreach (var (group, generation) in _generations)
        {
            yield return new GroupJournalRecord("generation", group, Generation: generation);
        }

        foreach (var (group, offsets) in _committed)
        {
            foreach (var (partition, offset) in offsets)
            {
                yield return new GroupJournalRecord("offset", group, partition.Topic, partition.Partition, offset.Offset, offset.LeaderEpoch, offset.Metadata, offset.CommitTimestampMs);
            }
        }

        foreach (var (group, byProducer) in _pending)
        {
            foreach (var (producerId, offsets) in byProducer)
            {
                foreach (var (partition, offset) in offsets)
                {
                    yield return new GroupJournalRecord("txn-offset", group, partition.Topic, partition.Partition, offset.Offset, offset.LeaderEpoch, offset.Metadata, offset.CommitTimestampMs, producerId);
                }
            }
        }
    }

    private static Dictionary<TopicPartitionKey, CommittedOffset> Offsets(Dictionary<string, Dictionary<TopicPartitionKey, CommittedOffset>> map, string group) =>
        map.TryGetValue(group, out var offsets) ? offsets : map[group] = [];

    private static CommittedOffset ToOffset(GroupJournalRecord record) =>
        new(record.Offset, record.LeaderEpoch, record.Metadata, record.TimestampMs);
}

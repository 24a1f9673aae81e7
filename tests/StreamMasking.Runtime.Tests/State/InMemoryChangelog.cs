using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

/// <summary>
/// A transactional changelog in memory with Kafka's offset rules: records of the open transaction take offsets as
/// they are sent, commit and abort each append a control marker, a reader sees only committed records and ends at
/// the last stable offset (the first offset of the open transaction).
/// </summary>
internal sealed class InMemoryChangelog : IChangelogSink, IChangelogReader
{
    private readonly Dictionary<(string Topic, int Partition), List<Entry>> _logs = [];
    private readonly List<Entry> _open = [];

    /// <summary>Records handed to restores so far.</summary>
    internal int RecordsRead { get; private set; }

    public void Send(string topic, int partition, byte[] key, byte[]? value)
    {
        var log = Log(topic, partition);
        var entry = new Entry(topic, partition, log.Count, key.ToArray(), value?.ToArray(), State.Open, IsMarker: false);
        log.Add(entry);
        _open.Add(entry);
    }

    public long? NextOffsetAfterAcknowledged(string topic, int partition)
    {
        var log = Log(topic, partition);
        var last = log.LastOrDefault(e => !e.IsMarker);
        return last is null ? null : last.Offset + 1;
    }

    internal void Commit() => End(State.Committed);

    internal void Abort() => End(State.Aborted);

    /// <summary>Forgets a topic, as if it were deleted and created again.</summary>
    internal void Recreate(string topic, int partition) => _logs[(topic, partition)] = [];

    /// <summary>Called before each offset query (a test can resolve the open transaction while a restore waits).</summary>
    internal Action<int>? BeforeGetOffsets { get; set; }

    /// <summary>Offset queries answered so far.</summary>
    internal int OffsetQueries { get; private set; }

    public ChangelogOffsets GetOffsets(string topic, int partition, CancellationToken cancellationToken)
    {
        OffsetQueries++;
        BeforeGetOffsets?.Invoke(OffsetQueries);
        var log = Log(topic, partition);
        var firstOpen = log.FirstOrDefault(e => e.State == State.Open);
        return new ChangelogOffsets(0, firstOpen?.Offset ?? log.Count, log.Count);
    }

    public long Read(string topic, int partition, long from, long end,
        Action<IReadOnlyList<KeyValuePair<byte[], byte[]?>>, long> applyBatch, CancellationToken cancellationToken)
    {
        var batch = Log(topic, partition)
            .Where(e => e.Offset >= from && e.Offset < end && e.State == State.Committed && !e.IsMarker)
            .Select(e => new KeyValuePair<byte[], byte[]?>(e.Key, e.Value))
            .ToList();
        RecordsRead += batch.Count;
        if (batch.Count > 0)
        {
            applyBatch(batch, end);
        }

        return Math.Max(from, end);
    }

    private void End(State outcome)
    {
        foreach (var entry in _open)
        {
            entry.State = outcome;
        }

        // One control marker per partition the transaction touched, taking an offset like in Kafka.
        foreach (var (topic, partition) in _open.Select(e => (e.Topic, e.Partition)).Distinct().ToList())
        {
            var log = Log(topic, partition);
            log.Add(new Entry(topic, partition, log.Count, [], null, outcome, IsMarker: true));
        }

        _open.Clear();
    }

    private List<Entry> Log(string topic, int partition)
    {
        if (!_logs.TryGetValue((topic, partition), out var log))
        {
            log = [];
            _logs[(topic, partition)] = log;
        }

        return log;
    }

    private enum State
    {
        Open,
        Committed,
        Aborted,
    }

    private sealed record Entry(string Topic, int Partition, long Offset, byte[] Key, byte[]? Value, State InitialState, bool IsMarker)
    {
        internal State State { get; set; } = InitialState;
    }
}

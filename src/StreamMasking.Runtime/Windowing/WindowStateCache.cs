using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// The live <see cref="SegmentState"/> of every (assigned input partition, windowed segment), over the changelogged
/// store <see cref="StoreName"/> of each partition: opened at start, restored and checked for ownership at assignment,
/// forgotten at revocation or loss, flushed before each commit, and dropped and reloaded from the committed store on
/// abort (which never saw the aborted writes), so a retry starts from exactly the committed state.
/// </summary>
internal sealed class WindowStateCache(
    IReadOnlyDictionary<string, WindowedSegment> segments,
    StateStoreOptions storeOptions,
    string sourceTopic,
    OwnershipGuard ownership,
    IKafkaClientFactory clients,
    TimeSpan operationTimeout,
    PipelineCounters counters,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    /// <summary>Name of the state store (changelog <c>{applicationId}-dp-state-changelog</c>).</summary>
    internal const string StoreName = "dp-state";

    private readonly Dictionary<int, Dictionary<string, SegmentState>> _partitions = [];
    private StateStoreManager? _manager;
    private StateStoreParticipant? _stores;
    private KafkaChangelogReader? _reader;

    /// <summary>Every loaded state, by input partition.</summary>
    internal IEnumerable<(int Partition, SegmentState State)> States =>
        _partitions.SelectMany(p => p.Value.Values.Select(s => (p.Key, s)));

    private StateStoreParticipant Stores => _stores ?? throw new InvalidOperationException("The windowing stage has not started.");

    /// <summary>Opens the stores; their changelog writes go through <paramref name="collector"/>, in the loop's transactions.</summary>
    internal void Start(RecordCollector collector, CancellationToken stopping)
    {
        _reader = new KafkaChangelogReader(clients.BaseConsumerConfig("state-restore"), operationTimeout);
        _manager = new StateStoreManager(storeOptions, [StoreName], new ProducerChangelogSink(collector), _reader,
            counters.RestoreObserver, counters.Observer, time, logger);
        _stores = new StateStoreParticipant(_manager, sourceTopic, stopping);
    }

    /// <summary>Forgets every state and closes the stores (checkpointing them).</summary>
    internal void Stop()
    {
        _partitions.Clear();
        _stores = null;
        _manager?.Dispose();
        _manager = null;
        _reader?.Dispose();
        _reader = null;
    }

    /// <summary>Closes the stores (checkpointing them).</summary>
    public void Dispose() => Stop();

    /// <summary>
    /// Restores the assigned partitions' stores after checking that their state is owned here, and loads every segment
    /// with state there; true when a loaded state holds committed seals to release.
    /// </summary>
    internal bool Assign(IReadOnlyList<TopicPartition> partitions)
    {
        var ours = Ours(partitions);
        if (ours.Count > 0)
        {
            ownership.CheckLayout();
        }

        Stores.OnPartitionsAssigned(partitions);
        var releasable = false;
        foreach (var partition in ours)
        {
            var store = Stores.Store(StoreName, partition);
            ownership.CheckStore(store, partition, segments.Values.Where(s => SegmentState.Exists(s, store)).Select(s => s.Name));
            _partitions[partition] = [];
            releasable |= LoadExisting(partition);
        }

        return releasable;
    }

    internal void Revoke(IReadOnlyList<TopicPartition> partitions)
    {
        Forget(partitions);
        Stores.OnPartitionsRevoked(partitions);
    }

    internal void Lose(IReadOnlyList<TopicPartition> partitions)
    {
        Forget(partitions);
        Stores.OnPartitionsLost(partitions);
    }

    /// <summary>Writes what changed in the open transaction to the stores (and so to the changelog).</summary>
    internal void Flush()
    {
        foreach (var (_, state) in States)
        {
            state.Flush();
        }
    }

    internal void Committed() => Stores.OnCommitted();

    /// <summary>Drops the in-memory state and reloads the committed one; true when a loaded state holds committed seals to release.</summary>
    internal bool Aborted()
    {
        Stores.OnAborted();
        var releasable = false;
        foreach (var partition in _partitions.Keys.ToList())
        {
            _partitions[partition] = [];
            releasable |= LoadExisting(partition);
        }

        return releasable;
    }

    /// <summary>The state of <paramref name="segment"/> on <paramref name="partition"/>, loaded on its first record there.</summary>
    internal SegmentState StateOf(int partition, WindowedSegment segment)
    {
        if (!_partitions.TryGetValue(partition, out var states))
        {
            throw new InvalidOperationException($"Partition {partition} of {sourceTopic} is not assigned to this stage.");
        }

        if (!states.TryGetValue(segment.Name, out var state))
        {
            ownership.CheckArrival(segment.Name, partition);
            state = Load(partition, segment, Stores.Store(StoreName, partition));
            states[segment.Name] = state;
        }

        return state;
    }

    private List<int> Ours(IReadOnlyList<TopicPartition> partitions) =>
        partitions.Where(p => p.Topic == sourceTopic).Select(p => p.Partition.Value).ToList();

    private void Forget(IReadOnlyList<TopicPartition> partitions)
    {
        foreach (var partition in Ours(partitions))
        {
            _partitions.Remove(partition);
        }
    }

    // After assignment or abort: load every segment that has state here, so pending seals are released.
    private bool LoadExisting(int partition)
    {
        var store = Stores.Store(StoreName, partition);
        var releasable = false;
        foreach (var segment in segments.Values)
        {
            if (SegmentState.Exists(segment, store))
            {
                var state = Load(partition, segment, store);
                _partitions[partition][segment.Name] = state;
                releasable |= state.Releasable.Count > 0;
            }
        }

        return releasable;
    }

    private SegmentState Load(int partition, WindowedSegment segment, IKeyValueStore store)
    {
        var state = SegmentState.Load(segment, store, time, out var abandoned);
        if (abandoned is not null)
        {
            logger.WindowStateAbandoned(segment.Name, partition, abandoned);
        }

        state.RecordOwner(ownership.RecordFor(partition));
        return state;
    }
}

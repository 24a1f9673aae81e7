using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.State;

/// <summary>
/// The state stores of one pipeline instance, per assigned input partition. The pipeline loop drives it:
/// <list type="number">
/// <item><see cref="OpenPartitions"/> on assignment, before processing those partitions (restores them);</item>
/// <item>processors use <see cref="Get"/>; writes are logged through the loop's transactional producer;</item>
/// <item><see cref="OnCommitted"/> after <c>CommitTransaction</c> succeeded, <see cref="OnAborted"/> after
/// <c>AbortTransaction</c>; if the outcome is unknown (commit threw), close the partitions and open them again;</item>
/// <item><see cref="ClosePartitions"/> on revocation (after the commit) or loss (after the abort).</item>
/// </list>
/// Single-threaded like the loop; restores run on the calling thread.
/// </summary>
internal sealed class StateStoreManager : IDisposable
{
    private readonly StateStoreOptions _options;
    private readonly IReadOnlyList<string> _storeNames;
    private readonly IChangelogSink _sink;
    private readonly IChangelogReader _reader;
    private readonly IStateRestoreObserver? _observer;
    private readonly IStateStoreMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SortedDictionary<int, List<StoreInstance>> _open = [];

    internal StateStoreManager(StateStoreOptions options, IReadOnlyList<string> storeNames, IChangelogSink sink,
        IChangelogReader reader, IStateRestoreObserver? observer, IStateStoreMetrics? metrics, TimeProvider time, ILogger logger)
    {
        options.Validate();
        foreach (var name in storeNames)
        {
            _ = options.ChangelogTopicFor(name); // validates the name early
        }

        _options = options;
        _storeNames = storeNames;
        _sink = sink;
        _reader = reader;
        _observer = observer;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Input partitions whose stores are open.</summary>
    internal IReadOnlyCollection<int> Partitions => _open.Keys;

    /// <summary>Opens and restores every store of each partition; returns when all are caught up.</summary>
    internal IReadOnlyList<StoreRestoreResult> OpenPartitions(IEnumerable<int> partitions, CancellationToken cancellationToken)
    {
        var results = new List<StoreRestoreResult>();
        foreach (var partition in partitions)
        {
            if (_open.ContainsKey(partition))
            {
                continue;
            }

            var stores = new List<StoreInstance>(_storeNames.Count);
            try
            {
                foreach (var name in _storeNames)
                {
                    stores.Add(StoreInstance.Open(_options, name, partition, _sink, _time, _logger, cancellationToken));
                    results.Add(stores[^1].Restore(_reader, _observer, _metrics, _time, cancellationToken));
                }
            }
            catch
            {
                stores.ForEach(s => s.Dispose());
                throw;
            }

            _open.Add(partition, stores);
        }

        return results;
    }

    /// <summary>The processor's view of <paramref name="storeName"/> for <paramref name="partition"/>.</summary>
    internal IKeyValueStore Get(string storeName, int partition)
    {
        if (_open.TryGetValue(partition, out var stores))
        {
            foreach (var store in stores)
            {
                if (store.Name == storeName)
                {
                    return store.Store;
                }
            }
        }

        throw new InvalidOperationException($"Store {storeName}[{partition}] is not open on this instance.");
    }

    /// <summary>The loop's transaction committed.</summary>
    internal void OnCommitted() => ForEach(s => s.OnCommitted());

    /// <summary>The loop's transaction aborted.</summary>
    internal void OnAborted() => ForEach(s => s.OnAborted());

    /// <summary>Checkpoints and closes the stores of <paramref name="partitions"/> (unknown ones are ignored).</summary>
    internal void ClosePartitions(IEnumerable<int> partitions)
    {
        foreach (var partition in partitions.ToList())
        {
            if (_open.Remove(partition, out var stores))
            {
                stores.ForEach(s => s.Dispose());
            }
        }
    }

    public void Dispose() => ClosePartitions(_open.Keys);

    private void ForEach(Action<StoreInstance> action)
    {
        foreach (var stores in _open.Values)
        {
            stores.ForEach(action);
        }
    }
}

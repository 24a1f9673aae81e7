using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.State;

/// <summary>
/// The top layer: reports each operation and its duration to an <see cref="IStateStoreMetrics"/> (Prometheus
/// comes later behind that interface). Range scans are timed until enumeration ends.
/// </summary>
internal sealed class MeteredKeyValueStore : IKeyValueStore
{
    private readonly IKeyValueStore _inner;
    private readonly IStateStoreMetrics _metrics;
    private readonly TimeProvider _time;

    internal MeteredKeyValueStore(IKeyValueStore inner, IStateStoreMetrics metrics, TimeProvider time)
    {
        _inner = inner;
        _metrics = metrics;
        _time = time;
    }

    public string Name => _inner.Name;

    public int Partition => _inner.Partition;

    public byte[]? Get(byte[] key)
    {
        var started = _time.GetTimestamp();
        var value = _inner.Get(key);
        _metrics.OnOperation(Name, StoreOperation.Get, _time.GetElapsedTime(started));
        return value;
    }

    public void Put(byte[] key, byte[] value)
    {
        var started = _time.GetTimestamp();
        _inner.Put(key, value);
        _metrics.OnOperation(Name, StoreOperation.Put, _time.GetElapsedTime(started));
    }

    public void Delete(byte[] key)
    {
        var started = _time.GetTimestamp();
        _inner.Delete(key);
        _metrics.OnOperation(Name, StoreOperation.Delete, _time.GetElapsedTime(started));
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(KeyRange range)
    {
        var started = _time.GetTimestamp();
        try
        {
            foreach (var entry in _inner.Range(range))
            {
                yield return entry;
            }
        }
        finally
        {
            _metrics.OnOperation(Name, StoreOperation.Range, _time.GetElapsedTime(started));
        }
    }
}

namespace StreamMasking.Runtime.State;

/// <summary>
/// Sends every put and delete to the store's changelog partition (key = store key, value = new value or a
/// tombstone) before it reaches the layer below. The changelog partition equals the input partition, so the
/// owner of an input partition is the only writer of its changelog partitions.
/// </summary>
internal sealed class ChangeLoggingKeyValueStore : IKeyValueStore
{
    private readonly IKeyValueStore _inner;
    private readonly IChangelogSink _sink;
    private readonly string _changelogTopic;

    internal ChangeLoggingKeyValueStore(IKeyValueStore inner, IChangelogSink sink, string changelogTopic)
    {
        _inner = inner;
        _sink = sink;
        _changelogTopic = changelogTopic;
    }

    public string Name => _inner.Name;

    public int Partition => _inner.Partition;

    public byte[]? Get(byte[] key) => _inner.Get(key);

    public void Put(byte[] key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        // Log first: if the send throws, the write never reaches the store, and the loop aborts the transaction.
        _sink.Send(_changelogTopic, Partition, key, value);
        _inner.Put(key, value);
    }

    public void Delete(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _sink.Send(_changelogTopic, Partition, key, null);
        _inner.Delete(key);
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(KeyRange range) => _inner.Range(range);
}

namespace StreamMasking.Runtime.State;

/// <summary>
/// A byte-keyed, byte-valued store of one (store name, input partition), as processors see it. Layers stack as
/// decorators: <see cref="RocksDbKeyValueStore"/> (persistence) ← <see cref="BufferedKeyValueStore"/> (per-transaction
/// write buffer) ← <see cref="ChangeLoggingKeyValueStore"/> (changelog in the caller's transaction).
/// Not thread-safe: one stream thread owns a partition's stores, as in Kafka Streams.
/// </summary>
internal interface IKeyValueStore
{
    /// <summary>The store name (unique per application).</summary>
    string Name { get; }

    /// <summary>The input partition this instance of the store belongs to.</summary>
    int Partition { get; }

    /// <summary>The value stored under <paramref name="key"/>, or null.</summary>
    byte[]? Get(byte[] key);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> (replacing any previous value).</summary>
    void Put(byte[] key, byte[] value);

    /// <summary>Removes <paramref name="key"/> (a no-op when absent; still logged as a tombstone).</summary>
    void Delete(byte[] key);

    /// <summary>
    /// Entries whose keys fall in <paramref name="range"/>, in ascending byte order. The result is a snapshot taken
    /// when enumeration starts; writing to the store while enumerating is allowed and not reflected.
    /// </summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> Range(KeyRange range);
}

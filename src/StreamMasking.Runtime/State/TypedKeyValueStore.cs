namespace StreamMasking.Runtime.State;

/// <summary>A typed view over a byte store. Key order in ranges is the byte order of the serialized keys.</summary>
internal sealed class TypedKeyValueStore<TKey, TValue>
    where TKey : notnull
{
    private readonly IKeyValueStore _store;
    private readonly IStateSerde<TKey> _keys;
    private readonly IStateSerde<TValue> _values;

    internal TypedKeyValueStore(IKeyValueStore store, IStateSerde<TKey> keys, IStateSerde<TValue> values)
    {
        _store = store;
        _keys = keys;
        _values = values;
    }

    internal bool TryGet(TKey key, out TValue value)
    {
        var bytes = _store.Get(_keys.Serialize(key));
        value = bytes is null ? default! : _values.Deserialize(bytes);
        return bytes is not null;
    }

    internal void Put(TKey key, TValue value) => _store.Put(_keys.Serialize(key), _values.Serialize(value));

    internal void Delete(TKey key) => _store.Delete(_keys.Serialize(key));

    /// <summary>Entries whose serialized key starts with the serialized <paramref name="prefix"/> bytes.</summary>
    internal IEnumerable<KeyValuePair<TKey, TValue>> PrefixScan(byte[] prefix) =>
        _store.Range(KeyRange.Prefix(prefix)).Select(kv =>
            new KeyValuePair<TKey, TValue>(_keys.Deserialize(kv.Key), _values.Deserialize(kv.Value)));
}

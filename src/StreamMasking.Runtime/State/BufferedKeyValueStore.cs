using RocksDbSharp;

namespace StreamMasking.Runtime.State;

/// <summary>
/// Holds the writes of the open Kafka transaction in memory, readable by the processor (read-your-writes), and
/// applies them to RocksDB in one atomic write batch only after the transaction committed. An aborted transaction
/// is undone by <see cref="DiscardPending"/>: nothing of it ever reached RocksDB, so no restore is needed (cheaper
/// than Kafka Streams' EOS wipe-and-restore on abort). The cost is memory proportional to one transaction's writes.
/// </summary>
internal sealed class BufferedKeyValueStore : IKeyValueStore
{
    // Value null = a pending delete.
    private readonly SortedDictionary<byte[], byte[]?> _pending = new(ByteArrayComparer.Instance);
    private readonly RocksDbKeyValueStore _inner;

    internal BufferedKeyValueStore(RocksDbKeyValueStore inner)
    {
        _inner = inner;
    }

    public string Name => _inner.Name;

    public int Partition => _inner.Partition;

    /// <summary>Number of keys written in the open transaction.</summary>
    internal int PendingCount => _pending.Count;

    public byte[]? Get(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _pending.TryGetValue(key, out var value) ? value : _inner.Get(key);
    }

    public void Put(byte[] key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        // Copies: the caller may reuse its arrays, and the buffer must keep what was logged.
        _pending[key.ToArray()] = value.ToArray();
    }

    public void Delete(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _pending[key.ToArray()] = null;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(KeyRange range) => Merge(range);

    /// <summary>Writes the pending changes to RocksDB atomically and clears the buffer. Call only after a commit.</summary>
    internal int ApplyPending()
    {
        var count = _pending.Count;
        if (count == 0)
        {
            return 0;
        }

        using (var batch = new WriteBatch())
        {
            foreach (var (key, value) in _pending)
            {
                if (value is null)
                {
                    batch.Delete(key);
                }
                else
                {
                    batch.Put(key, value);
                }
            }

            _inner.Write(batch);
        }

        _pending.Clear();
        return count;
    }

    /// <summary>Forgets the pending changes (the transaction aborted).</summary>
    internal void DiscardPending() => _pending.Clear();

    private IEnumerable<KeyValuePair<byte[], byte[]>> Merge(KeyRange range)
    {
        // Copy the buffered part first so the processor may write while it enumerates.
        var buffered = _pending.Where(kv => range.Contains(kv.Key)).ToList();
        using var persisted = _inner.Range(range).GetEnumerator();
        var hasPersisted = persisted.MoveNext();
        var i = 0;
        while (i < buffered.Count || hasPersisted)
        {
            var order = i >= buffered.Count ? 1
                : !hasPersisted ? -1
                : ByteArrayComparer.Instance.Compare(buffered[i].Key, persisted.Current.Key);
            if (order > 0)
            {
                yield return persisted.Current;
                hasPersisted = persisted.MoveNext();
                continue;
            }

            // The buffer wins over RocksDB for the same key; a buffered delete hides the persisted entry.
            var (key, value) = buffered[i++];
            if (order == 0)
            {
                hasPersisted = persisted.MoveNext();
            }

            if (value is not null)
            {
                yield return new KeyValuePair<byte[], byte[]>(key, value);
            }
        }
    }
}

using RocksDbSharp;

namespace StreamMasking.Runtime.State;

/// <summary>
/// The persistent bottom layer: one RocksDB database per (store, partition). It only ever receives committed data
/// (write batches applied after a Kafka commit, or records restored from the changelog), which is what makes the
/// checkpoint argument in docs/state-stores.md hold.
/// </summary>
internal sealed class RocksDbKeyValueStore : IKeyValueStore, IDisposable
{
    private readonly RocksDb _db;
    private readonly WriteOptions _writeOptions = new();
    private readonly FlushOptions _flushOptions = new FlushOptions().SetWaitForFlush(true);
    private bool _disposed;

    private RocksDbKeyValueStore(string name, int partition, RocksDb db)
    {
        Name = name;
        Partition = partition;
        _db = db;
    }

    public string Name { get; }

    public int Partition { get; }

    /// <summary>Opens (creating if missing) the database in <paramref name="path"/>.</summary>
    internal static RocksDbKeyValueStore Open(string name, int partition, string path)
    {
        Directory.CreateDirectory(path);
        var options = new DbOptions().SetCreateIfMissing(true);
        return new RocksDbKeyValueStore(name, partition, RocksDb.Open(options, path));
    }

    public byte[]? Get(byte[] key)
    {
        ThrowIfDisposed();
        return _db.Get(key);
    }

    public void Put(byte[] key, byte[] value)
    {
        ThrowIfDisposed();
        _db.Put(key, value, writeOptions: _writeOptions);
    }

    public void Delete(byte[] key)
    {
        ThrowIfDisposed();
        _db.Remove(key, writeOptions: _writeOptions);
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(KeyRange range)
    {
        ThrowIfDisposed();
        return Enumerate(range);
    }

    /// <summary>Applies <paramref name="batch"/> atomically (all or nothing, also across a crash).</summary>
    internal void Write(WriteBatch batch)
    {
        ThrowIfDisposed();
        _db.Write(batch, _writeOptions);
    }

    /// <summary>
    /// Persists the memtables to SST files and waits. Called before a checkpoint file is written, so that a
    /// checkpoint never claims data that an OS crash could still take back from an unsynced write-ahead log.
    /// </summary>
    internal void Flush()
    {
        ThrowIfDisposed();
        _db.Flush(_flushOptions);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _db.Dispose();
    }

    private IEnumerable<KeyValuePair<byte[], byte[]>> Enumerate(KeyRange range)
    {
        // A RocksDB iterator reads an implicit snapshot taken at its creation.
        using var iterator = _db.NewIterator();
        if (range.From is null)
        {
            iterator.SeekToFirst();
        }
        else
        {
            iterator.Seek(range.From);
        }

        for (; iterator.Valid(); iterator.Next())
        {
            var key = iterator.Key();
            if (range.To is not null && ByteArrayComparer.Instance.Compare(key, range.To) >= 0)
            {
                yield break;
            }

            yield return new KeyValuePair<byte[], byte[]>(key, iterator.Value());
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}

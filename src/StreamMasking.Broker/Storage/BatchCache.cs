namespace StreamMasking.Broker.Storage;

/// <summary>
/// Bounded cache of recently written or read batches, shared by every partition of a broker: consumers near the
/// head of a log are served without a disk read, and the bytes held never exceed <see cref="CapacityBytes"/>
/// (least recently used go first). Keyed by segment identity and base offset; a rewritten or deleted segment
/// gets a new identity, so stale entries are never returned and age out.
/// </summary>
internal sealed class BatchCache
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(object Segment, long BaseOffset), LinkedListNode<Entry>> _map = [];
    private readonly LinkedList<Entry> _lru = [];

    public BatchCache(long capacityBytes) => CapacityBytes = Math.Max(0, capacityBytes);

    public long CapacityBytes { get; }

    public long SizeInBytes { get; private set; }

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public void Put(object segment, LogBatch batch, long position)
    {
        if (batch.SizeInBytes > CapacityBytes)
        {
            return;
        }

        lock (_lock)
        {
            var key = (segment, batch.BaseOffset);
            if (_map.Remove(key, out var old))
            {
                _lru.Remove(old);
                SizeInBytes -= old.Value.Batch.SizeInBytes;
            }

            _map[key] = _lru.AddFirst(new Entry(key, batch, position));
            SizeInBytes += batch.SizeInBytes;
            while (SizeInBytes > CapacityBytes && _lru.Last is { } last)
            {
                _lru.RemoveLast();
                _map.Remove(last.Value.Key);
                SizeInBytes -= last.Value.Batch.SizeInBytes;
            }
        }
    }

    /// <summary>The batch starting at <paramref name="baseOffset"/> in <paramref name="segment"/>, with its file position.</summary>
    public (LogBatch Batch, long Position)? Get(object segment, long baseOffset)
    {
        lock (_lock)
        {
            if (!_map.TryGetValue((segment, baseOffset), out var node))
            {
                Misses++;
                return null;
            }

            Hits++;
            _lru.Remove(node);
            _lru.AddFirst(node);
            return (node.Value.Batch, node.Value.Position);
        }
    }

    private sealed record Entry((object Segment, long BaseOffset) Key, LogBatch Batch, long Position);
}

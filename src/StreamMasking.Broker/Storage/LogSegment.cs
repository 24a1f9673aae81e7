using StreamMasking.Broker.Records;

namespace StreamMasking.Broker.Storage;

/// <summary>
/// A run of consecutive batches of one partition, in Kafka's layout: <c>{baseOffset:D20}.log</c> holds the batches
/// byte for byte, <c>.index</c> and <c>.timeindex</c> are sparse indexes (one entry per index.interval.bytes),
/// <c>.txnindex</c> lists the aborted transactions whose markers are here. Batches are read from the file on
/// demand; only the indexes and a few counters stay in memory (plus what the shared <see cref="BatchCache"/> holds).
/// Without a data directory the bytes live in a buffer instead and nothing is written. Not thread-safe: the
/// owning <see cref="PartitionLog"/> serialises access.
/// </summary>
internal sealed partial class LogSegment : IDisposable
{
    private readonly SegmentData _data;
    private readonly OffsetIndex _offsetIndex;
    private readonly TimeIndex _timeIndex;
    private readonly TransactionIndex _txnIndex;
    private readonly BatchCache? _cache;
    private readonly int _indexInterval;
    private long _bytesSinceIndexEntry;

    private LogSegment(long baseOffset, long createdAt, string? path, BatchCache? cache, int indexInterval, bool create)
    {
        BaseOffset = baseOffset;
        CreatedAt = createdAt;
        FilePath = path;
        _indexInterval = Math.Max(1, indexInterval);
        // A buffer-backed segment is already in memory: caching it again would only double it.
        _cache = path is null ? null : cache;
        _data = path is null ? new MemorySegmentData() : new FileSegmentData(path, create);
        _offsetIndex = new OffsetIndex(SiblingPath(".index"), baseOffset, create);
        _timeIndex = new TimeIndex(SiblingPath(".timeindex"), baseOffset, create);
        _txnIndex = new TransactionIndex(SiblingPath(".txnindex"), create);
    }

    public long BaseOffset { get; }

    /// <summary>Creation time (ms since epoch), for segment.ms rolling.</summary>
    public long CreatedAt { get; }

    public string? FilePath { get; }

    public long SizeInBytes => _data.Length;

    public long? LastOffset { get; private set; }

    /// <summary>Largest timestamp of a data batch here (control markers excluded), or -1.</summary>
    public long MaxTimestamp { get; private set; } = -1;

    /// <summary>Last offset of the batch with <see cref="MaxTimestamp"/>, or -1.</summary>
    public long OffsetOfMaxTimestamp { get; private set; } = -1;

    /// <summary>Bytes read from the segment's data so far (recovery walks, fetches that missed the cache).</summary>
    public long BytesRead { get; private set; }

    public int OffsetIndexEntries => _offsetIndex.Count;

    public int TimeIndexEntries => _timeIndex.Count;

    public IReadOnlyList<AbortedTransaction> AbortedTransactions => _txnIndex.Entries;

    public static LogSegment Create(string? directory, long baseOffset, long now, BatchCache? cache, int indexInterval) =>
        new(baseOffset, now, directory is null ? null : Path.Combine(directory, FileName(baseOffset)), cache, indexInterval, create: true);

    public static string FileName(long baseOffset) => $"{baseOffset:D20}.log";

    /// <summary>The files of a segment: the log first, then its indexes.</summary>
    public static IEnumerable<string> Files(string logPath) =>
        [logPath, Path.ChangeExtension(logPath, ".index"), Path.ChangeExtension(logPath, ".timeindex"), Path.ChangeExtension(logPath, ".txnindex")];

    private string? SiblingPath(string extension) => FilePath is null ? null : Path.ChangeExtension(FilePath, extension);

    public void Append(LogBatch batch)
    {
        var position = _data.Length;
        _data.Append(batch.Bytes);
        Track(batch.BaseOffset, batch.LastOffset, batch.MaxTimestamp, batch.IsControl, position, batch.SizeInBytes, indexed: false);
        _cache?.Put(this, batch, position);
    }

    /// <summary>Records an abort marker written here in the segment's transaction index.</summary>
    public void IndexAbortedTransaction(AbortedTransaction aborted, long lastStableOffset) => _txnIndex.Append(aborted, lastStableOffset);

    // Offsets, timestamps and sparse index entries for a batch now at `position`.
    private void Track(long baseOffset, long lastOffset, long maxTimestamp, bool control, long position, int size, bool indexed)
    {
        if (!control && maxTimestamp > MaxTimestamp)
        {
            MaxTimestamp = maxTimestamp;
            OffsetOfMaxTimestamp = lastOffset;
        }

        if (!indexed && (position == 0 || _bytesSinceIndexEntry >= _indexInterval))
        {
            _offsetIndex.Append(baseOffset, position);
            _bytesSinceIndexEntry = 0;
            if (MaxTimestamp >= 0)
            {
                _timeIndex.MaybeAppend(MaxTimestamp, OffsetOfMaxTimestamp);
            }
        }

        _bytesSinceIndexEntry += size;
        LastOffset = lastOffset;
    }

    /// <summary>
    /// Batches from the one holding <paramref name="offset"/> (the first whose last offset is at or after it) to
    /// the end, read from the cache or the file. With <paramref name="headersOnly"/> a data batch carries only its
    /// 61-byte header (enough for offsets and producer state); control batches are always whole.
    /// </summary>
    public IEnumerable<LogBatch> ReadFrom(long offset, bool headersOnly = false)
    {
        var header = new byte[RecordBatchHeader.Size];
        long position;
        long nextBase = offset;
        if (!headersOnly && _cache?.Get(this, offset) is { } first)
        {
            position = first.Position;
        }
        else
        {
            position = _offsetIndex.Lookup(offset);
        }

        while (position + RecordBatchHeader.Size <= _data.Length)
        {
            LogBatch batch;
            if (!headersOnly && _cache?.Get(this, nextBase) is { } hit && hit.Position == position)
            {
                batch = hit.Batch;
            }
            else
            {
                if (!ReadAt(position, header))
                {
                    yield break;
                }

                var length = RecordBatchHeader.ReadBatchLength(header) + RecordBatchHeader.LogOverhead;
                var last = RecordBatchHeader.ReadBaseOffset(header) + RecordBatchHeader.ReadLastOffsetDelta(header);
                if (length < RecordBatchHeader.Size)
                {
                    yield break;
                }

                if (last < offset)
                {
                    position += length;
                    nextBase = last + 1;
                    continue;
                }

                var control = (RecordBatchHeader.ReadAttributes(header) & RecordBatchHeader.ControlFlag) != 0;
                if (headersOnly && !control)
                {
                    batch = LogBatch.FromHeader((byte[])header.Clone(), length);
                }
                else
                {
                    var bytes = new byte[length];
                    if (!ReadAt(position, bytes))
                    {
                        yield break;
                    }

                    batch = LogBatch.FromBytes(bytes);
                }
            }

            yield return batch;
            position += batch.SizeInBytes;
            nextBase = batch.LastOffset + 1;
        }
    }

    private bool ReadAt(long position, Span<byte> buffer)
    {
        BytesRead += buffer.Length;
        return _data.ReadExactly(position, buffer);
    }

    /// <summary>The offset from which to search for the first record with a timestamp at or after <paramref name="timestamp"/>.</summary>
    public long TimeSearchStart(long timestamp) => Math.Max(BaseOffset, _timeIndex.SearchStart(timestamp));

    /// <summary>
    /// The segment stops being the active one: its index handles are released (the entries are in memory, a
    /// rare later write reopens the file), so a partition keeps one open file per closed segment.
    /// </summary>
    public void Seal()
    {
        _offsetIndex.Close();
        _timeIndex.Close();
        _txnIndex.Close();
    }

    /// <summary>Closes the file handles and deletes the segment's files.</summary>
    public void Delete()
    {
        Dispose();
        _offsetIndex.Delete();
        _timeIndex.Delete();
        _txnIndex.Delete();
        if (FilePath is not null && File.Exists(FilePath))
        {
            File.Delete(FilePath);
        }
    }

    public void Dispose()
    {
        _data.Dispose();
        _offsetIndex.Dispose();
        _timeIndex.Dispose();
        _txnIndex.Dispose();
    }
}

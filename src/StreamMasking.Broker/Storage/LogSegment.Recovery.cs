using StreamMasking.Broker.Records;

namespace StreamMasking.Broker.Storage;

internal sealed partial class LogSegment
{
    /// <summary>
    /// Opens an existing segment without reading it all: the offset index is trusted up to its last entry that
    /// points at a batch with the expected offset, and only the tail after that entry is read and CRC-verified.
    /// Everything from the first invalid batch on is truncated (a torn write at crash time); the indexes follow.
    /// A missing or unusable index means the whole segment is the tail. Returns the bytes truncated.
    /// </summary>
    public static LogSegment Open(string path, long now, BatchCache? cache, int indexInterval, out long truncatedBytes)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var segment = new LogSegment(long.Parse(name, System.Globalization.CultureInfo.InvariantCulture), now, path, cache, indexInterval, create: false);
        truncatedBytes = segment.RecoverTail();
        return segment;
    }

    private long RecoverTail()
    {
        var length = _data.Length;
        _offsetIndex.TruncateToPosition(length);
        var header = new byte[RecordBatchHeader.Size];
        while (_offsetIndex.Count > 0
               && !(ReadAt(_offsetIndex.LastPosition, header) && RecordBatchHeader.ReadBaseOffset(header) == _offsetIndex.LastOffset
                    && RecordBatchHeader.ReadMagic(header) == 2))
        {
            _offsetIndex.RemoveLast();
        }

        // Index entries exist at or before `start`; the walk re-reads the entry's batch and goes on to the end.
        var start = _offsetIndex.Count == 0 ? 0 : _offsetIndex.LastPosition;
        var position = start;
        var tail = new List<(long Base, long Last, long MaxTimestamp, bool Control, long Position, int Size)>();
        var previousLast = BaseOffset - 1;
        while (position + RecordBatchHeader.Size <= length)
        {
            if (!ReadAt(position, header))
            {
                break;
            }

            var size = RecordBatchHeader.ReadBatchLength(header) + RecordBatchHeader.LogOverhead;
            if (size < RecordBatchHeader.Size || position + size > length || RecordBatchHeader.ReadMagic(header) != 2)
            {
                break;
            }

            var bytes = new byte[size];
            if (!ReadAt(position, bytes) || RecordBatchHeader.ReadCrc(bytes) != RecordBatchHeader.ComputeCrc(bytes))
            {
                break;
            }

            var batch = LogBatch.FromBytes(bytes);
            if (batch.BaseOffset <= previousLast && tail.Count > 0)
            {
                break;
            }

            previousLast = batch.LastOffset;
            tail.Add((batch.BaseOffset, batch.LastOffset, batch.MaxTimestamp, batch.IsControl, position, size));
            position += size;
        }

        var truncated = length - position;
        if (truncated > 0)
        {
            _data.Truncate(position);
            _offsetIndex.TruncateToPosition(position);
        }

        var end = tail.Count > 0 ? tail[^1].Last + 1 : BaseOffset;
        if (tail.Count == 0 && _offsetIndex.Count > 0)
        {
            // The indexed batch itself was torn: drop the entry and walk again from the one before.
            _offsetIndex.RemoveLast();
            return truncated + RecoverTail();
        }

        _timeIndex.TruncateToOffset(end);
        _txnIndex.TruncateToOffset(end);
        if (_timeIndex.Count > 0)
        {
            MaxTimestamp = _timeIndex.LastTimestamp;
            OffsetOfMaxTimestamp = _timeIndex.LastOffset;
        }

        foreach (var (baseOffset, last, maxTimestamp, control, batchPosition, size) in tail)
        {
            Track(baseOffset, last, maxTimestamp, control, batchPosition, size, indexed: batchPosition == start && _offsetIndex.Count > 0 && batchPosition == _offsetIndex.LastPosition);
        }

        if (tail.Count == 0)
        {
            LastOffset = null;
        }

        return truncated;
    }

    /// <summary>
    /// Compaction: returns a segment with the same base offset holding <paramref name="batches"/>. The new log is
    /// written to a temp file and renamed over the old one; the offset and time indexes are deleted first and
    /// rebuilt while writing, so a crash in between leaves an index that recovery can trust or rebuild.
    /// This instance is closed.
    /// </summary>
    public LogSegment Rewrite(IReadOnlyList<LogBatch> batches)
    {
        if (FilePath is null)
        {
            Dispose();
            var memory = new LogSegment(BaseOffset, CreatedAt, null, null, _indexInterval, create: true);
            memory.AppendAll(batches, AbortedTransactions);
            return memory;
        }

        var temp = FilePath + ".cleaned";
        using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            foreach (var batch in batches)
            {
                output.Write(batch.Bytes);
            }

            output.Flush(flushToDisk: true);
        }

        Dispose();
        _offsetIndex.Delete();
        _timeIndex.Delete();
        File.Move(temp, FilePath, overwrite: true);
        var rewritten = new LogSegment(BaseOffset, CreatedAt, FilePath, _cache, _indexInterval, create: false);
        var position = 0L;
        foreach (var batch in batches)
        {
            rewritten.Track(batch.BaseOffset, batch.LastOffset, batch.MaxTimestamp, batch.IsControl, position, batch.SizeInBytes, indexed: false);
            position += batch.SizeInBytes;
        }

        // The transaction index file was kept: the new instance has read it. Only closed segments are compacted.
        rewritten.Seal();
        return rewritten;
    }

    private void AppendAll(IReadOnlyList<LogBatch> batches, IReadOnlyList<AbortedTransaction> aborted)
    {
        foreach (var batch in batches)
        {
            Append(batch);
        }

        foreach (var entry in aborted)
        {
            _txnIndex.Append(entry, entry.LastOffset);
        }
    }
}

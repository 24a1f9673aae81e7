using StreamMasking.Broker.Records;

namespace StreamMasking.Broker.Storage;

/// <summary>
/// A run of consecutive batches of one partition. In memory always; with a data directory also an append-only
/// file <c>{baseOffset:D20}.log</c> holding the batches byte for byte (Kafka's segment format without the index:
/// the offset index is the in-memory batch list, rebuilt by the CRC-verifying scan on start).
/// </summary>
internal sealed class LogSegment : IDisposable
{
    private readonly List<LogBatch> _batches = [];
    private FileStream? _file;

    private LogSegment(long baseOffset, long createdAt, string? path)
    {
        BaseOffset = baseOffset;
        CreatedAt = createdAt;
        FilePath = path;
    }

    public long BaseOffset { get; }

    /// <summary>Creation time (ms since epoch), for segment.ms rolling.</summary>
    public long CreatedAt { get; }

    public string? FilePath { get; }

    public IReadOnlyList<LogBatch> Batches => _batches;

    public long SizeInBytes { get; private set; }

    public long? LastOffset => _batches.Count == 0 ? null : _batches[^1].LastOffset;

    public long MaxTimestamp => _batches.Count == 0 ? -1 : _batches.Max(b => b.MaxTimestamp);

    public static LogSegment Create(string? directory, long baseOffset, long now)
    {
        var path = directory is null ? null : Path.Combine(directory, FileName(baseOffset));
        var segment = new LogSegment(baseOffset, now, path);
        if (path is not null)
        {
            segment._file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        }

        return segment;
    }

    public static string FileName(long baseOffset) => $"{baseOffset:D20}.log";

    /// <summary>
    /// Loads a segment file, verifying each batch's length and CRC. Everything from the first invalid batch on is
    /// truncated (a torn write at crash time). Returns the number of bytes dropped.
    /// </summary>
    public static LogSegment Recover(string path, long now, out long truncatedBytes)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var segment = new LogSegment(long.Parse(name, System.Globalization.CultureInfo.InvariantCulture), now, path);
        var bytes = File.ReadAllBytes(path);
        var position = 0;
        while (position + RecordBatchHeader.Size <= bytes.Length)
        {
            var span = bytes.AsSpan(position);
            var length = RecordBatchHeader.ReadBatchLength(span) + RecordBatchHeader.LogOverhead;
            if (length < RecordBatchHeader.Size || length > span.Length || RecordBatchHeader.ReadMagic(span) != 2
                || RecordBatchHeader.ReadCrc(span) != RecordBatchHeader.ComputeCrc(span[..length]))
            {
                break;
            }

            var batch = LogBatch.FromBytes(span[..length].ToArray());
            segment._batches.Add(batch);
            segment.SizeInBytes += length;
            position += length;
        }

        truncatedBytes = bytes.Length - position;
        segment._file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        segment._file.SetLength(position);
        segment._file.Seek(position, SeekOrigin.Begin);
        return segment;
    }

    public void Append(LogBatch batch)
    {
        _batches.Add(batch);
        SizeInBytes += batch.SizeInBytes;
        if (_file is not null)
        {
            _file.Write(batch.Bytes);

            // Hand the bytes to the OS: they survive a killed broker process (Kafka likewise leaves fsync to the OS).
            _file.Flush(flushToDisk: false);
        }
    }

    /// <summary>Replaces the content (compaction); the file is rewritten to a temp file and renamed over.</summary>
    public void Replace(IReadOnlyList<LogBatch> batches)
    {
        if (FilePath is not null)
        {
            var temp = FilePath + ".cleaned";
            using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write))
            {
                foreach (var batch in batches)
                {
                    output.Write(batch.Bytes);
                }

                output.Flush(flushToDisk: true);
            }

            _file?.Dispose();
            File.Move(temp, FilePath, overwrite: true);
            _file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read);
        }

        _batches.Clear();
        _batches.AddRange(batches);
        SizeInBytes = batches.Sum(b => (long)b.SizeInBytes);
    }

    /// <summary>Index of the first batch whose last offset is at or after <paramref name="offset"/>, or Count.</summary>
    public int FindBatchIndex(long offset)
    {
        int lo = 0, hi = _batches.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_batches[mid].LastOffset < offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public void Delete()
    {
        Dispose();
        if (FilePath is not null && File.Exists(FilePath))
        {
            File.Delete(FilePath);
        }
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }
}

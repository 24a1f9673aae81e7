using System.Buffers.Binary;

namespace StreamMasking.Broker.Storage;

/// <summary>
/// Kafka's aborted-transaction index of one segment (<c>.txnindex</c>): one 34-byte big-endian entry (version 0,
/// producer id, first offset, last offset = the abort marker, last stable offset) per ABORT marker written in the
/// segment. Recovery reads these instead of scanning the log for markers.
/// </summary>
internal sealed class TransactionIndex : IDisposable
{
    public const int EntrySize = 34;

    private readonly IndexFile _file;
    private readonly List<AbortedTransaction> _entries = [];

    public TransactionIndex(string? path, bool create)
    {
        _file = new IndexFile(path, EntrySize, create);
        var bytes = _file.ReadAll();
        for (var i = 0; i + EntrySize <= bytes.Length; i += EntrySize)
        {
            var entry = bytes.AsSpan(i);
            _entries.Add(new AbortedTransaction(
                BinaryPrimitives.ReadInt64BigEndian(entry[2..]),
                BinaryPrimitives.ReadInt64BigEndian(entry[10..]),
                BinaryPrimitives.ReadInt64BigEndian(entry[18..])));
        }
    }

    public IReadOnlyList<AbortedTransaction> Entries => _entries;

    public void Append(AbortedTransaction aborted, long lastStableOffset)
    {
        if (_entries.Count > 0 && aborted.LastOffset <= _entries[^1].LastOffset)
        {
            // Already indexed (replayed after a restart).
            return;
        }

        Span<byte> entry = stackalloc byte[EntrySize];
        BinaryPrimitives.WriteInt16BigEndian(entry, 0);
        BinaryPrimitives.WriteInt64BigEndian(entry[2..], aborted.ProducerId);
        BinaryPrimitives.WriteInt64BigEndian(entry[10..], aborted.FirstOffset);
        BinaryPrimitives.WriteInt64BigEndian(entry[18..], aborted.LastOffset);
        BinaryPrimitives.WriteInt64BigEndian(entry[26..], lastStableOffset);
        _file.Write(_entries.Count, entry);
        _entries.Add(aborted);
    }

    /// <summary>Drops entries whose marker is at or after <paramref name="offset"/>.</summary>
    public void TruncateToOffset(long offset)
    {
        var keep = _entries.FindIndex(e => e.LastOffset >= offset);
        if (keep >= 0)
        {
            _entries.RemoveRange(keep, _entries.Count - keep);
            _file.SetEntryCount(keep);
        }
    }

    /// <summary>Releases the file handle (the segment is sealed); a later write reopens it.</summary>
    public void Close() => _file.Close();

    public void Delete() => _file.Delete();

    public void Dispose() => _file.Dispose();
}

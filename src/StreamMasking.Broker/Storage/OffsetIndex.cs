using System.Buffers.Binary;

namespace StreamMasking.Broker.Storage;

/// <summary>
/// Kafka's sparse offset index of one segment (<c>.index</c>): entries of (offset - base offset, file position) as
/// two big-endian int32, one per index.interval.bytes of log, offsets and positions strictly increasing. A lookup
/// gives the position of the last indexed batch at or before an offset; the reader walks on from there.
/// </summary>
internal sealed class OffsetIndex : IDisposable
{
    public const int EntrySize = 8;

    private readonly List<int> _relativeOffsets = [];
    private readonly List<int> _positions = [];
    private readonly IndexFile _file;
    private readonly long _baseOffset;

    public OffsetIndex(string? path, long baseOffset, bool create)
    {
        _baseOffset = baseOffset;
        _file = new IndexFile(path, EntrySize, create);
        var bytes = _file.ReadAll();
        for (var i = 0; i + EntrySize <= bytes.Length; i += EntrySize)
        {
            var relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i));
            var position = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i + 4));
            if (relative < 0 || position < 0 || (_positions.Count > 0 && (relative <= _relativeOffsets[^1] || position <= _positions[^1])))
            {
                // Not increasing: a torn or stale tail; keep the valid prefix.
                break;
            }

            _relativeOffsets.Add(relative);
            _positions.Add(position);
        }

        if (_positions.Count * EntrySize != bytes.Length)
        {
            _file.SetEntryCount(_positions.Count);
        }
    }

    public int Count => _positions.Count;

    public long LastOffset => _baseOffset + _relativeOffsets[^1];

    public long LastPosition => _positions[^1];

    public void Append(long offset, long position)
    {
        var relative = checked((int)(offset - _baseOffset));
        Span<byte> entry = stackalloc byte[EntrySize];
        BinaryPrimitives.WriteInt32BigEndian(entry, relative);
        BinaryPrimitives.WriteInt32BigEndian(entry[4..], checked((int)position));
        _file.Write(_positions.Count, entry);
        _relativeOffsets.Add(relative);
        _positions.Add((int)position);
    }

    /// <summary>Position of the last entry whose offset is at or before <paramref name="offset"/>; 0 if none.</summary>
    public long Lookup(long offset)
    {
        var target = offset - _baseOffset;
        int lo = 0, hi = _relativeOffsets.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_relativeOffsets[mid] <= target)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? 0 : _positions[found];
    }

    /// <summary>Drops the entries at or after <paramref name="position"/> (log truncated there).</summary>
    public void TruncateToPosition(long position)
    {
        var keep = _positions.Count;
        while (keep > 0 && _positions[keep - 1] >= position)
        {
            keep--;
        }

        RemoveFrom(keep);
    }

    public void RemoveLast() => RemoveFrom(_positions.Count - 1);

    private void RemoveFrom(int keep)
    {
        if (keep == _positions.Count)
        {
            return;
        }

        _relativeOffsets.RemoveRange(keep, _relativeOffsets.Count - keep);
        _positions.RemoveRange(keep, _positions.Count - keep);
        _file.SetEntryCount(keep);
    }

    /// <summary>Releases the file handle (the segment is sealed); a later write reopens it.</summary>
    public void Close() => _file.Close();

    public void Delete() => _file.Delete();

    public void Dispose() => _file.Dispose();
}

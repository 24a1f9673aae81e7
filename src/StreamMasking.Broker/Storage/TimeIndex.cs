using System.Buffers.Binary;

namespace StreamMasking.Broker.Storage;

/// <summary>
/// Kafka's sparse time index of one segment (<c>.timeindex</c>): entries of (largest timestamp so far as int64,
/// offset - base offset of the record that has it as int32), big-endian, appended next to offset index entries
/// and only when the largest timestamp grew. Every record written before an entry has a timestamp at or below the
/// entry's, so a search for a target timestamp may start at the last entry below it.
/// </summary>
internal sealed class TimeIndex : IDisposable
{
    public const int EntrySize = 12;

    private readonly List<long> _timestamps = [];
    private readonly List<int> _relativeOffsets = [];
    private readonly IndexFile _file;
    private readonly long _baseOffset;

    public TimeIndex(string? path, long baseOffset, bool create)
    {
        _baseOffset = baseOffset;
        _file = new IndexFile(path, EntrySize, create);
        var bytes = _file.ReadAll();
        for (var i = 0; i + EntrySize <= bytes.Length; i += EntrySize)
        {
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(i));
            var relative = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(i + 8));
            if (relative < 0 || (_timestamps.Count > 0 && (timestamp <= _timestamps[^1] || relative < _relativeOffsets[^1])))
            {
                break;
            }

            _timestamps.Add(timestamp);
            _relativeOffsets.Add(relative);
        }

        if (_timestamps.Count * EntrySize != bytes.Length)
        {
            _file.SetEntryCount(_timestamps.Count);
        }
    }

    public int Count => _timestamps.Count;

    public long LastTimestamp => _timestamps.Count == 0 ? -1 : _timestamps[^1];

    public long LastOffset => _baseOffset + _relativeOffsets[^1];

    public void MaybeAppend(long timestamp, long offset)
    {
        if (timestamp <= LastTimestamp)
        {
            return;
        }

        var relative = checked((int)(offset - _baseOffset));
        Span<byte> entry = stackalloc byte[EntrySize];
        BinaryPrimitives.WriteInt64BigEndian(entry, timestamp);
        BinaryPrimitives.WriteInt32BigEndian(entry[8..], relative);
        _file.Write(_timestamps.Count, entry);
        _timestamps.Add(timestamp);
        _relativeOffsets.Add(relative);
    }

    /// <summary>An offset from which to search for <paramref name="target"/>: the last entry below it, or the base.</summary>
    public long SearchStart(long target)
    {
        int lo = 0, hi = _timestamps.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_timestamps[mid] < target)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found < 0 ? _baseOffset : _baseOffset + _relativeOffsets[found];
    }

    /// <summary>Drops entries for offsets at or after <paramref name="offset"/> (log truncated there).</summary>
    public void TruncateToOffset(long offset)
    {
        var keep = _relativeOffsets.Count;
        while (keep > 0 && _baseOffset + _relativeOffsets[keep - 1] >= offset)
        {
            keep--;
        }

        if (keep < _timestamps.Count)
        {
            _timestamps.RemoveRange(keep, _timestamps.Count - keep);
            _relativeOffsets.RemoveRange(keep, _relativeOffsets.Count - keep);
            _file.SetEntryCount(keep);
        }
    }

    /// <summary>Releases the file handle (the segment is sealed); a later write reopens it.</summary>
    public void Close() => _file.Close();

    public void Delete() => _file.Delete();

    public void Dispose() => _file.Dispose();
}

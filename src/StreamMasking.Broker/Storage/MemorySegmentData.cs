namespace StreamMasking.Broker.Storage;

/// <summary>Segment bytes in a growable buffer: a broker without a data directory keeps its log in memory.</summary>
internal sealed class MemorySegmentData : SegmentData
{
    private byte[] _buffer = [];
    private long _length;

    public override long Length => _length;

    public override void Append(ReadOnlySpan<byte> bytes)
    {
        var needed = _length + bytes.Length;
        if (needed > _buffer.Length)
        {
            var grown = new byte[Math.Max(needed, Math.Min(Math.Max(4096L, _buffer.Length * 2L), Array.MaxLength))];
            _buffer.AsSpan(0, (int)_length).CopyTo(grown);
            _buffer = grown;
        }

        bytes.CopyTo(_buffer.AsSpan((int)_length));
        _length = needed;
    }

    public override int Read(long position, Span<byte> buffer)
    {
        if (position >= _length)
        {
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, _length - position);
        _buffer.AsSpan((int)position, count).CopyTo(buffer);
        return count;
    }

    public override void Truncate(long length) => _length = Math.Min(_length, length);

    public override void Dispose() => _buffer = [];
}

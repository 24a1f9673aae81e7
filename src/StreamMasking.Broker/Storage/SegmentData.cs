namespace StreamMasking.Broker.Storage;

/// <summary>The bytes of one segment: a file in a data directory, or a buffer for a broker without one.</summary>
internal abstract class SegmentData : IDisposable
{
    public abstract long Length { get; }

    /// <summary>Appends at the end; the bytes are with the OS when this returns (a killed process keeps them).</summary>
    public abstract void Append(ReadOnlySpan<byte> bytes);

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="position"/>; returns the count read.</summary>
    public abstract int Read(long position, Span<byte> buffer);

    public abstract void Truncate(long length);

    public abstract void Dispose();

    /// <summary>Reads exactly <c>buffer.Length</c> bytes, or returns false at the end of the data.</summary>
    public bool ReadExactly(long position, Span<byte> buffer)
    {
        var done = 0;
        while (done < buffer.Length)
        {
            var read = Read(position + done, buffer[done..]);
            if (read <= 0)
            {
                return false;
            }

            done += read;
        }

        return true;
    }
}

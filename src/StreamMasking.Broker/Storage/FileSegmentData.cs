using Microsoft.Win32.SafeHandles;

namespace StreamMasking.Broker.Storage;

/// <summary>Segment bytes in a file, written and read positionally (pwrite/pread): nothing is buffered in the process.</summary>
internal sealed class FileSegmentData : SegmentData
{
    private readonly SafeFileHandle _handle;
    private long _length;

    public FileSegmentData(string path, bool create)
    {
        _handle = File.OpenHandle(path, create ? FileMode.Create : FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        _length = RandomAccess.GetLength(_handle);
    }

    public override long Length => _length;

    public override void Append(ReadOnlySpan<byte> bytes)
    {
        // A positional write goes straight to the OS (Kafka likewise leaves fsync to the OS).
        RandomAccess.Write(_handle, bytes, _length);
        _length += bytes.Length;
    }

    public override int Read(long position, Span<byte> buffer)
    {
        if (position >= _length)
        {
            return 0;
        }

        var count = (int)Math.Min(buffer.Length, _length - position);
        return RandomAccess.Read(_handle, buffer[..count], position);
    }

    public override void Truncate(long length)
    {
        RandomAccess.SetLength(_handle, length);
        _length = length;
    }

    public override void Dispose() => _handle.Dispose();
}

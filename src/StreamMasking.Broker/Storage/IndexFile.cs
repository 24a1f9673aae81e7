using Microsoft.Win32.SafeHandles;

namespace StreamMasking.Broker.Storage;

/// <summary>
/// The file behind a sparse index: fixed-size big-endian entries appended positionally. Without a path (a broker
/// without a data directory) it stores nothing and the index lives in memory only. <see cref="Close"/> releases
/// the handle of a sealed segment's index (entries are in memory); a later write opens it again.
/// </summary>
internal sealed class IndexFile : IDisposable
{
    private readonly int _entrySize;
    private SafeFileHandle? _handle;
    private bool _deleted;

    public IndexFile(string? path, int entrySize, bool create)
    {
        Path = path;
        _entrySize = entrySize;
        if (path is not null)
        {
            _handle = File.OpenHandle(path, create ? FileMode.Create : FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        }
    }

    public string? Path { get; }

    /// <summary>Whole entries in the file (a torn last entry is ignored).</summary>
    public byte[] ReadAll()
    {
        if (_handle is null)
        {
            return [];
        }

        var length = RandomAccess.GetLength(_handle);
        var bytes = new byte[length - (length % _entrySize)];
        var done = 0;
        while (done < bytes.Length)
        {
            var read = RandomAccess.Read(_handle, bytes.AsSpan(done), done);
            if (read <= 0)
            {
                return bytes[..done];
            }

            done += read;
        }

        return bytes;
    }

    public void Write(int entryIndex, ReadOnlySpan<byte> entry)
    {
        if (Handle() is { } handle)
        {
            RandomAccess.Write(handle, entry, (long)entryIndex * _entrySize);
        }
    }

    public void SetEntryCount(int count)
    {
        if (Handle() is { } handle)
        {
            RandomAccess.SetLength(handle, (long)count * _entrySize);
        }
    }

    private SafeFileHandle? Handle() =>
        _handle ??= Path is null || _deleted ? null : File.OpenHandle(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);

    /// <summary>Releases the handle; the file stays.</summary>
    public void Close()
    {
        _handle?.Dispose();
        _handle = null;
    }

    public void Delete()
    {
        Close();
        _deleted = true;
        if (Path is not null && File.Exists(Path))
        {
            File.Delete(Path);
        }
    }

    public void Dispose() => Close();
}

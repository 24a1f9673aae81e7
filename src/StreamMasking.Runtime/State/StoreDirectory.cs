namespace StreamMasking.Runtime.State;

/// <summary>
/// The directory of one (store, partition): <c>&lt;stateDir&gt;/&lt;applicationId&gt;/&lt;store&gt;-&lt;partition&gt;/</c>
/// holding <c>rocksdb/</c>, <c>&lt;store&gt;.checkpoint</c> and a <c>.lock</c> file held open exclusively while the
/// store is open, so two instances (in one process or two) never share the directory.
/// </summary>
internal sealed class StoreDirectory : IDisposable
{
    private const string LockFileName = ".lock";
    private readonly FileStream _lock;

    private StoreDirectory(string path, string storeName, FileStream lockStream)
    {
        Path = path;
        _lock = lockStream;
        DatabasePath = System.IO.Path.Combine(path, "rocksdb");
        CheckpointPath = System.IO.Path.Combine(path, storeName + ".checkpoint");
    }

    internal string Path { get; }

    internal string DatabasePath { get; }

    internal string CheckpointPath { get; }

    /// <summary>Creates the directory if needed and locks it; throws <see cref="StateDirectoryLockedException"/> if held.</summary>
    internal static StoreDirectory Acquire(string stateDirectory, string applicationId, string storeName, int partition)
    {
        var path = System.IO.Path.Combine(stateDirectory, applicationId, $"{storeName}-{partition}");
        Directory.CreateDirectory(path);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock on Unix), released when the stream closes,
            // also when the process dies.
            var stream = new FileStream(System.IO.Path.Combine(path, LockFileName), FileMode.OpenOrCreate,
                FileAccess.ReadWrite, FileShare.None);
            return new StoreDirectory(path, storeName, stream);
        }
        catch (IOException e)
        {
            throw new StateDirectoryLockedException(path, e);
        }
    }

    /// <summary>Deletes the local data and checkpoint (keeps the lock): the next open restores from the beginning.</summary>
    internal void Wipe()
    {
        File.Delete(CheckpointPath);
        if (Directory.Exists(DatabasePath))
        {
            Directory.Delete(DatabasePath, recursive: true);
        }
    }

    public void Dispose() => _lock.Dispose();
}

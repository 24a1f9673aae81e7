namespace StreamMasking.Runtime.State;

/// <summary>Another store instance holds the directory of this (store, partition).</summary>
internal sealed class StateDirectoryLockedException : IOException
{
    internal StateDirectoryLockedException(string path, Exception inner)
        : base($"State directory '{path}' is in use by another instance (its .lock file is held).", inner)
    {
    }
}

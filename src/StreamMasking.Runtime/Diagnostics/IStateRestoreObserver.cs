namespace StreamMasking.Runtime.Diagnostics;

/// <summary>
/// Observes restores (a seam for metrics: the Prometheus layer implements it later). Called on the restoring
/// thread; implementations must be cheap and must not throw.
/// </summary>
internal interface IStateRestoreObserver
{
    /// <summary>A restore of <paramref name="store"/>[<paramref name="partition"/>] begins.</summary>
    void OnRestoreStarted(string store, int partition, long startOffset, long endOffset);

    /// <summary>A batch was applied; <paramref name="totalRestored"/> counts records so far, <paramref name="position"/> is the next offset.</summary>
    void OnBatchRestored(string store, int partition, long totalRestored, long position);

    /// <summary>The restore finished (also called when there was nothing to read).</summary>
    void OnRestoreCompleted(StoreRestoreResult result);
}

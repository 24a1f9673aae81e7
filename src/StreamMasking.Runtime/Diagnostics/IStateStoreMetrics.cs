namespace StreamMasking.Runtime.Diagnostics;

/// <summary>Receives store operation timings; labels are store names only (bounded), never keys.</summary>
internal interface IStateStoreMetrics
{
    /// <summary>One operation on <paramref name="store"/> finished after <paramref name="elapsed"/>.</summary>
    void OnOperation(string store, StoreOperation operation, TimeSpan elapsed);
}

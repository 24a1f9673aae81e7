namespace StreamMasking.Runtime.Diagnostics;

/// <summary>Store operations reported to <see cref="IStateStoreMetrics"/>.</summary>
internal enum StoreOperation
{
    Get,
    Put,
    Delete,
    Range,
}

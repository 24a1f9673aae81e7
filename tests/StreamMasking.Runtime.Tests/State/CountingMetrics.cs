using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Tests.State;

/// <summary>Counts store operations per (store, operation).</summary>
internal sealed class CountingMetrics : IStateStoreMetrics
{
    internal Dictionary<(string Store, StoreOperation Operation), int> Counts { get; } = [];

    public void OnOperation(string store, StoreOperation operation, TimeSpan elapsed) =>
        Counts[(store, operation)] = Counts.GetValueOrDefault((store, operation)) + 1;
}

using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.State;

/// <summary>
/// The one place the service settings become <see cref="StateStoreOptions"/>. A unit test reflects over both types
/// and fails when a property is added to either without deciding here (or in its list of settings the store does
/// not take) where it comes from.
/// </summary>
internal static class StateStoreOptionsMapping
{
    /// <summary>The options of the state stores of windowed segments.</summary>
    internal static StateStoreOptions From(StreamMaskingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var p = options.Pipeline;
        return new StateStoreOptions
        {
            // One directory per (store, partition) under the instance's state directory, shared by its mask threads:
            // a partition that moves between two of them keeps its local state and checkpoint.
            StateDirectory = options.State.Directory,
            ApplicationId = p.ConsumerGroupId,
            CheckpointAfterRecords = options.State.CheckpointAfterRecords,
            // A transaction a frozen former owner left open on a changelog is aborted by the broker once its
            // timeout expires (instances share the setting); the operation timeout covers the broker's check.
            StableChangelogTimeout = p.TransactionTimeout + p.OperationTimeout,
        };
    }
}

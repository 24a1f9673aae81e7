using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.State;

/// <summary>Log lines of the state stores: names, partitions and offsets only, never keys or values.</summary>
internal static partial class StateLogMessages
{
    [LoggerMessage(LogEventIds.StoreWiped, LogLevel.Information, "Store {Store}[{Partition}] has no valid local state ({Reason}); restoring from the beginning of the changelog")]
    internal static partial void StoreWiped(this ILogger logger, string store, int partition, string reason);

    [LoggerMessage(LogEventIds.StoreRestored, LogLevel.Information, "Store {Store}[{Partition}] restored {Records} records from changelog offsets {Start} to {End} in {DurationMs} ms")]
    internal static partial void StoreRestored(this ILogger logger, string store, int partition, long records, long start, long end, long durationMs);

    [LoggerMessage(LogEventIds.StoreClosedUnresolved, LogLevel.Warning, "Store {Store}[{Partition}] closed with {Pending} writes of an unresolved transaction; checkpoint removed, the next open restores from the beginning")]
    internal static partial void StoreClosedUnresolved(this ILogger logger, string store, int partition, int pending);

    [LoggerMessage(LogEventIds.StoreCheckpointed, LogLevel.Debug, "Store {Store}[{Partition}] checkpointed at changelog offset {Offset}")]
    internal static partial void StoreCheckpointed(this ILogger logger, string store, int partition, long offset);

    [LoggerMessage(LogEventIds.ChangelogUnstableWaiting, LogLevel.Warning, "Store {Store}[{Partition}] waits before restoring: a transaction is open on its changelog at offset {StableEnd} (high watermark {HighWatermark}); waiting up to {BoundSeconds} s for it to commit or be aborted")]
    internal static partial void ChangelogUnstableWaiting(this ILogger logger, string store, int partition, long stableEnd, long highWatermark, long boundSeconds);

    [LoggerMessage(LogEventIds.ChangelogStable, LogLevel.Information, "Store {Store}[{Partition}] changelog is stable at offset {StableEnd} after {WaitedMs} ms; restoring")]
    internal static partial void ChangelogStable(this ILogger logger, string store, int partition, long stableEnd, long waitedMs);

    [LoggerMessage(LogEventIds.ChangelogUnstableRefused, LogLevel.Error, "Store {Store}[{Partition}] is not restored: a transaction is still open on its changelog at offset {StableEnd} (high watermark {HighWatermark}) after {WaitedSeconds} s; the partition is not processed")]
    internal static partial void ChangelogUnstableRefused(this ILogger logger, string store, int partition, long stableEnd, long highWatermark, long waitedSeconds);
}

using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Processing;

/// <summary>Log lines of the repartition purge: topic, partition and offsets only.</summary>
internal static partial class PurgeLogMessages
{
    [LoggerMessage(LogEventIds.RepartitionPurged, LogLevel.Debug, "Repartition topic {Topic}[{Partition}] purged below offset {LowWatermark}")]
    internal static partial void RepartitionPurged(this ILogger logger, string topic, int partition, long lowWatermark);

    [LoggerMessage(LogEventIds.RepartitionPurgeFailed, LogLevel.Warning, "Repartition topic {Topic}[{Partition}] could not be purged ({Error}); retried with the next purge")]
    internal static partial void RepartitionPurgeFailed(this ILogger logger, string topic, int partition, string error);
}

using Microsoft.Extensions.Logging;

namespace StreamMasking.Runtime.Pipeline;

/// <summary>Log lines of the repartition purge: topic, partition and offsets only.</summary>
internal static partial class PurgeLogMessages
{
    [LoggerMessage(600, LogLevel.Debug, "Repartition topic {Topic}[{Partition}] purged below offset {LowWatermark}")]
    internal static partial void RepartitionPurged(this ILogger logger, string topic, int partition, long lowWatermark);

    [LoggerMessage(601, LogLevel.Warning, "Repartition topic {Topic}[{Partition}] could not be purged ({Error}); retried with the next purge")]
    internal static partial void RepartitionPurgeFailed(this ILogger logger, string topic, int partition, string error);
}

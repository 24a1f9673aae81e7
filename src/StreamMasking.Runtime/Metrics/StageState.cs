using System.Collections.Concurrent;

namespace StreamMasking.Runtime.Metrics;

/// <summary>What the metrics layer knows of one stage: progress, assignment, the records of its open transaction.</summary>
internal sealed class StageState
{
    internal StageState(long nowMs)
    {
        LastProgressMs = nowMs;
    }

    /// <summary>Unix milliseconds of the last poll-loop progress.</summary>
    internal long LastProgressMs;

    /// <summary>Partitions currently assigned (only the stage thread writes it).</summary>
    internal int Assigned;

    /// <summary>Whether the stage has received its first assignment (possibly empty).</summary>
    internal volatile bool Joined;

    /// <summary>Unix milliseconds of the newest record processed (for the lag-in-seconds estimate).</summary>
    internal long LastRecordTimestampMs = -1;

    /// <summary>Per processed record of the open transaction: timestamp, timestamp type, processing seconds.</summary>
    internal List<(long TimestampMs, bool AppendTime, double Seconds)> Open { get; } = [];

    /// <summary>Consumer lag per topic from the latest statistics.</summary>
    internal ConcurrentDictionary<string, long> LagByTopic { get; } = new(StringComparer.Ordinal);
}

using System.Collections.Concurrent;

namespace StreamMasking.Runtime.Metrics;

/// <summary>
/// What the metrics layer knows of one stage: progress, and per stream thread of the stage its assignment, the
/// records of its open transaction and its consumer lag. A loop reports from its own thread (rebalance and statistics
/// callbacks run inside its <c>Consume</c>), so the per-thread part is keyed by the reporting thread.
/// </summary>
internal sealed class StageState
{
    internal StageState(long nowMs)
    {
        LastProgressMs = nowMs;
    }

    /// <summary>Unix milliseconds of the last poll-loop progress of any loop of the stage.</summary>
    internal long LastProgressMs;

    /// <summary>
    /// Unix milliseconds of the last progress of the stage's least recent loop (one stuck thread is a stuck stage),
    /// or <see cref="LastProgressMs"/> before any loop reported.
    /// </summary>
    internal long OldestLoopProgressMs => Loops.IsEmpty ? Interlocked.Read(ref LastProgressMs)
        : Loops.Values.Min(l => Interlocked.Read(ref l.LastProgressMs));

    /// <summary>Whether the stage has received its first assignment (possibly empty).</summary>
    internal volatile bool Joined;

    /// <summary>Unix milliseconds of the newest record processed (for the lag-in-seconds estimate).</summary>
    internal long LastRecordTimestampMs = -1;

    /// <summary>The stage's loops, by managed thread id.</summary>
    private ConcurrentDictionary<int, LoopState> Loops { get; } = new();

    /// <summary>Partitions currently assigned, over every loop of the stage.</summary>
    internal int Assigned => Loops.Values.Sum(l => Volatile.Read(ref l.Assigned));

    /// <summary>Consumer lag per topic, summed over the loops' latest statistics.</summary>
    internal IEnumerable<(string Topic, long Records)> LagByTopic => Loops.Values
        .SelectMany(l => l.LagByTopic)
        .GroupBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(g => (g.Key, g.Sum(kv => kv.Value)));

    /// <summary>The calling loop's part.</summary>
    internal LoopState Current => Loops.GetOrAdd(Environment.CurrentManagedThreadId, _ => new LoopState());

    /// <summary>What one loop (stream thread) of the stage reported; only that loop's thread writes it.</summary>
    internal sealed class LoopState
    {
        /// <summary>Partitions currently assigned to the loop.</summary>
        internal int Assigned;

        /// <summary>Unix milliseconds of the loop's last progress.</summary>
        internal long LastProgressMs;

        /// <summary>Per processed record of the open transaction: timestamp, timestamp type, processing seconds.</summary>
        internal List<(long TimestampMs, bool AppendTime, double Seconds)> Open { get; } = [];

        /// <summary>Consumer lag per topic from the loop's latest statistics.</summary>
        internal ConcurrentDictionary<string, long> LagByTopic { get; } = new(StringComparer.Ordinal);
    }
}

using System.Globalization;
using System.Runtime;

namespace StreamMasking.Benchmarks.Pipeline;

/// <summary>
/// This process's memory after a full blocking, compacting collection: resident set (VmRSS of /proc/self/status),
/// live managed objects (<see cref="GC.GetTotalMemory"/>) and the committed managed heap (what of the RSS the GC
/// holds); the rest of the RSS is native (librdkafka, RocksDB, the runtime, code).
/// </summary>
internal readonly record struct MemoryReading(long Rss, long Managed, long HeapCommitted)
{
    internal static MemoryReading Take()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var managed = GC.GetTotalMemory(forceFullCollection: false);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return new MemoryReading(RssOf(Environment.ProcessId), managed, info.TotalCommittedBytes);
    }

    /// <summary>VmRSS of a process in bytes (0 where /proc is unavailable).</summary>
    internal static long RssOf(int processId)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status))
        {
            return 0;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"VmRSS {Rss / 1_048_576.0,7:F1} MiB, managed live {Managed / 1_048_576.0,7:F1} MiB, managed heap committed {HeapCommitted / 1_048_576.0,7:F1} MiB, native and other {(Rss - HeapCommitted) / 1_048_576.0,7:F1} MiB");
}

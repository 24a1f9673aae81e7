namespace StreamMasking.Core.Windowing;

/// <summary>
/// The progress of one segment over its source partitions, and how long it has been idle. The watermark is the
/// least of the largest timestamps seen per source partition (as Flink does), so a source that lags the others holds
/// stream time back instead of having its records declared late; a source that has sent nothing for
/// <see cref="WindowSpec.SourceIdleTimeout"/> no longer holds it back (Flink's idleness), so a quiet source cannot
/// stall the segment forever.
/// </summary>
/// <remarks>
/// Idleness counts only time observed while the owner was running and caught up (<see cref="Tick"/> with
/// <c>caughtUp</c>): time across a restart, an outage or a backlog is never idle time, because nothing could arrive
/// then. It is therefore not persisted: a restored watermark has every source active and nothing idle. The per-source
/// progress is persisted (see <see cref="SegmentWindowEngine.ToBytes"/>). Not thread-safe.
/// </remarks>
internal sealed class SourceWatermark
{
    private readonly Dictionary<string, Source> _sources = new(StringComparer.Ordinal);
    private readonly long _sourceIdleMs;

    // Wall time idle time is counted from (last record or caught-up tick); MinValue = not counting (not caught up,
    // or restored and not ticked since).
    private long _segmentBase = long.MinValue;

    internal SourceWatermark(long sourceIdleMs) => _sourceIdleMs = sourceIdleMs;

    /// <summary>Idle time of the segment since its last record (owner running and caught up), ms.</summary>
    internal long IdleMs { get; private set; }

    /// <summary>Source partitions seen, with the largest timestamp of each, in ordinal order of their names.</summary>
    internal IEnumerable<(string Source, long MaxTimestamp)> Progress =>
        _sources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value.MaxTimestamp));

    /// <summary>
    /// The least largest timestamp over the sources that are not idle; <see cref="long.MinValue"/> when every
    /// source is idle or none was seen (nothing then advances stream time but idle close).
    /// </summary>
    internal long Current
    {
        get
        {
            var least = long.MaxValue;
            foreach (var source in _sources.Values)
            {
                if (source.IdleMs < _sourceIdleMs)
                {
                    least = Math.Min(least, source.MaxTimestamp);
                }
            }

            return least == long.MaxValue ? long.MinValue : least;
        }
    }

    /// <summary>A record of <paramref name="source"/> at <paramref name="timestampMs"/> was accepted at wall time <paramref name="nowMs"/>.</summary>
    internal void Observe(string source, long timestampMs, long nowMs)
    {
        if (!_sources.TryGetValue(source, out var progress))
        {
            progress = new Source { MaxTimestamp = timestampMs };
            _sources.Add(source, progress);
        }

        progress.MaxTimestamp = Math.Max(progress.MaxTimestamp, timestampMs);
        progress.IdleMs = 0;
        progress.Base = nowMs;
        IdleMs = 0;
        _segmentBase = nowMs;
    }

    /// <summary>
    /// Timer tick at wall time <paramref name="nowMs"/>: while <paramref name="caughtUp"/> (the owner has no backlog),
    /// the time since the previous tick or record counts as idle; otherwise counting stops until the next caught-up tick.
    /// </summary>
    internal void Tick(long nowMs, bool caughtUp)
    {
        foreach (var source in _sources.Values)
        {
            if (caughtUp && source.Base != long.MinValue && nowMs > source.Base)
            {
                source.IdleMs = Saturating(source.IdleMs, nowMs - source.Base);
            }

            source.Base = caughtUp ? nowMs : long.MinValue;
        }

        if (caughtUp && _segmentBase != long.MinValue && nowMs > _segmentBase)
        {
            IdleMs = Saturating(IdleMs, nowMs - _segmentBase);
        }

        _segmentBase = caughtUp ? nowMs : long.MinValue;
    }

    /// <summary>Restores the progress of <paramref name="source"/> (persisted state); it starts active.</summary>
    internal void Restore(string source, long maxTimestamp)
    {
        if (!_sources.TryAdd(source, new Source { MaxTimestamp = maxTimestamp, Base = long.MinValue }))
        {
            throw new FormatException("Duplicate source in window-engine state.");
        }
    }

    private static long Saturating(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private sealed class Source
    {
        public long MaxTimestamp { get; set; }

        public long IdleMs { get; set; }

        public long Base { get; set; }
    }
}

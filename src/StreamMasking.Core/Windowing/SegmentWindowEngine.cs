namespace StreamMasking.Core.Windowing;

/// <summary>
/// Tumbling event-time windows and their exact accumulators for one segment on one input partition. Stream time is
/// a watermark over the segment's source partitions (<see cref="SourceWatermark"/>: the least of their largest
/// timestamps, idle sources left out), never ahead of the wall clock; window i closes when stream time ≥ end(i) +
/// grace, or when the segment has been idle for the idle timeout while its owner was running and caught up (stream
/// time then advances by the idle time). Every window
/// from the first record's window onward is sealed in order, empty ones included, because skipping empty windows
/// would reveal that they were empty. Records for sealed windows are <see cref="RecordOutcome.Late"/>.
/// </summary>
/// <remarks>
/// Pure and Kafka-free: the runtime feeds records (<c>Observe</c>), calls <see cref="CloseIdle"/> on a
/// timer, persists <see cref="ToBytes"/> and each <see cref="SealedWindow"/> it receives, and releases sealed
/// windows with <c>Release.WindowReleaser</c>. Not thread-safe (one partition, one thread).
/// </remarks>
public sealed class SegmentWindowEngine
{
    private readonly Dictionary<long, AggregateAccumulator[]> _open = [];
    private readonly Dictionary<string, int>?[] _unitWindows;
    private readonly IUnitWindowStore? _unitWindowStore;
    private readonly TimeProvider _time;
    private bool _started;
    private bool _sealedAny;
    private long _nextToClose;
    private long _streamTime = long.MinValue;
    private long _activityWallMs;
    private long _activityStreamTime = long.MinValue;
    private readonly SourceWatermark _watermark;

    // Change tracking for incremental persistence (null when the engine is persisted whole with ToBytes): the units
    // (and event-level totals) of each open window changed since the last DrainChanges, and the windows sealed since.
    private readonly Dictionary<long, HashSet<string>>? _changedUnits;
    private readonly HashSet<long>? _changedEventLevel;
    private readonly List<long>? _removedWindows;

    /// <summary>Creates an engine with no windows yet.</summary>
    public SegmentWindowEngine(SegmentAggregationSpec spec, TimeProvider time)
        : this(spec, time, unitWindowStore: null)
    {
    }

    /// <summary>
    /// Creates an engine with no windows yet whose windows-per-unit counts (continual aggregates) live in
    /// <paramref name="unitWindowStore"/> instead of its own state; null keeps them in memory and in <see cref="ToBytes"/>.
    /// </summary>
    public SegmentWindowEngine(SegmentAggregationSpec spec, TimeProvider time, IUnitWindowStore? unitWindowStore)
        : this(spec, time, unitWindowStore, trackChanges: false)
    {
    }

    /// <summary>
    /// Creates an engine with no windows yet; with <paramref name="trackChanges"/>, it records what changes so that a
    /// store can keep each unit's contributions to each open window as its own entry (<see cref="DrainChanges"/>,
    /// <see cref="HeaderToBytes"/>, <see cref="FromEntries"/>) instead of rewriting the whole state at every commit.
    /// </summary>
    public SegmentWindowEngine(SegmentAggregationSpec spec, TimeProvider time, IUnitWindowStore? unitWindowStore, bool trackChanges)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(time);
        spec.Validate();
        Spec = spec;
        _time = time;
        _unitWindows = new Dictionary<string, int>?[spec.Aggregates.Count];
        for (var i = 0; i < _unitWindows.Length; i++)
        {
            // Windows per unit only matter for the continual total, whose noise is calibrated to them.
            _unitWindows[i] = spec.Aggregates[i].IsContinual && unitWindowStore is null
                ? new Dictionary<string, int>(StringComparer.Ordinal)
                : null;
        }

        _unitWindowStore = unitWindowStore;
        _watermark = new SourceWatermark(spec.Window.SourceIdleMs);
        if (trackChanges)
        {
            _changedUnits = [];
            _changedEventLevel = [];
            _removedWindows = [];
        }
    }

    /// <summary>The segment spec.</summary>
    public SegmentAggregationSpec Spec { get; }

    /// <summary>
    /// The watermark over the source partitions (advanced by idleness, never past the wall clock);
    /// <see cref="long.MinValue"/> before any record.
    /// </summary>
    public long StreamTime => _streamTime;

    /// <summary>Index of the next window to seal (meaningless until the first record).</summary>
    public long NextWindowToClose => _nextToClose;

    /// <summary>Whether any record has been seen.</summary>
    public bool HasStarted => _started;

    /// <summary>
    /// <see cref="Observe(long, string, string?, ReadOnlySpan{AggregateInput}, ICollection{SealedWindow})"/> for a
    /// segment fed by one source partition only.
    /// </summary>
    public ObserveResult Observe(long timestampMs, string? unit, ReadOnlySpan<AggregateInput> inputs, ICollection<SealedWindow> sealedOut) =>
        Observe(timestampMs, "", unit, inputs, sealedOut);

    /// <summary>
    /// Assigns one record to its window, advances its source's progress and the watermark, and seals every window
    /// that closes as a result (appended to <paramref name="sealedOut"/> in window order).
    /// </summary>
    /// <param name="timestampMs">Record event time, Unix ms.</param>
    /// <param name="source">The source partition the record was read from (e.g. <c>topic/partition</c>).</param>
    /// <param name="unit">Privacy unit id (e.g. a patient id), or null for event-level bounding.</param>
    /// <param name="inputs">One input per aggregate, in <see cref="SegmentAggregationSpec.Aggregates"/> order.</param>
    /// <param name="sealedOut">Receives windows sealed by this call.</param>
    public ObserveResult Observe(long timestampMs, string source, string? unit, ReadOnlySpan<AggregateInput> inputs,
        ICollection<SealedWindow> sealedOut) =>
        Observe(timestampMs, source, 0, unit, inputs, sealedOut);

    /// <summary>
    /// Assigns one record to its window, advances its source's progress and the watermark, and seals every window
    /// that closes as a result (appended to <paramref name="sealedOut"/> in window order). Where a unit has more
    /// records in a window than its bounds allow, the ones counted are its earliest by event time, source and
    /// <paramref name="position"/> (<see cref="ContributionOrder"/>), whatever order they arrive in.
    /// </summary>
    /// <param name="timestampMs">Record event time, Unix ms.</param>
    /// <param name="source">The source partition the record was read from (e.g. <c>topic/partition</c>).</param>
    /// <param name="position">The record's offset in <paramref name="source"/>.</param>
    /// <param name="unit">Privacy unit id (e.g. a patient id), or null for event-level bounding.</param>
    /// <param name="inputs">One input per aggregate, in <see cref="SegmentAggregationSpec.Aggregates"/> order.</param>
    /// <param name="sealedOut">Receives windows sealed by this call.</param>
    public ObserveResult Observe(long timestampMs, string source, long position, string? unit, ReadOnlySpan<AggregateInput> inputs,
        ICollection<SealedWindow> sealedOut)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sealedOut);
        if (inputs.Length != Spec.Aggregates.Count)
        {
            throw new ArgumentException("One input per declared aggregate is required.", nameof(inputs));
        }

        var window = Spec.Window;
        var index = window.IndexOf(timestampMs);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (window.IsOutOfRange(timestampMs, _started ? _streamTime : long.MinValue, now))
        {
            return new ObserveResult(RecordOutcome.OutOfRange, index, 0, 0);
        }

        // The record advances its own source only; stream time follows the slowest active source and never passes
        // the wall clock, so no single record (nor one source running ahead) closes windows early.
        _watermark.Observe(source, timestampMs, now);
        AdvanceStreamTime(_watermark.Current, now);
        _activityWallMs = now;
        _activityStreamTime = _streamTime;
        if (!_started)
        {
            _started = true;
            _nextToClose = index;
        }
        else if (!_sealedAny && index < _nextToClose && window.CloseTimeOf(index) > _streamTime)
        {
            // Nothing sealed yet: an earlier (in-grace) record extends the declared range backwards.
            _nextToClose = index;
        }

        var sealedCount = CloseDue(sealedOut, window.MaxWindowsPerAdvance);

        // A window past its close time may still await sealing (bounded sealing leaves a backlog): it is closed all the same.
        if (index < _nextToClose || window.CloseTimeOf(index) <= _streamTime)
        {
            return new ObserveResult(RecordOutcome.Late, index, 0, sealedCount);
        }

        if (!_open.TryGetValue(index, out var accumulators))
        {
            accumulators = NewAccumulators(Spec.Aggregates.Count);
            _open.Add(index, accumulators);
        }

        var capped = 0;
        var order = new ContributionOrder(timestampMs, source, position);
        for (var i = 0; i < accumulators.Length; i++)
        {
            capped += Accumulate(i, accumulators[i], unit, inputs[i], order) ? 0 : 1;
        }

        MarkChanged(index, unit);

        return new ObserveResult(RecordOutcome.Accepted, index, capped, sealedCount);
    }

    /// <summary>
    /// Timer hook. While <paramref name="caughtUp"/> (the owner is running and has no backlog on its input), the time
    /// since the previous tick counts as idle time: sources idle for <see cref="WindowSpec.SourceIdleTimeout"/> stop
    /// holding the watermark back, and once the segment itself has been idle for the idle timeout, stream time
    /// advances by the idle time (never past the wall clock). Time while not caught up, and time before the first
    /// tick after a restore, never counts. Then seals due windows (at most <see cref="WindowSpec.MaxWindowsPerAdvance"/>
    /// per call, the rest on later calls), appended to <paramref name="sealedOut"/>.
    /// </summary>
    /// <returns>The number of windows sealed.</returns>
    public int CloseIdle(ICollection<SealedWindow> sealedOut, bool caughtUp)
    {
        ArgumentNullException.ThrowIfNull(sealedOut);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _watermark.Tick(now, caughtUp);
        if (!_started)
        {
            return 0;
        }

        AdvanceStreamTime(_watermark.Current, now);
        var idle = _watermark.IdleMs;
        if (Spec.Window.IdleTimeout is { } timeout && idle >= (long)timeout.TotalMilliseconds && _activityStreamTime != long.MinValue)
        {
            AdvanceStreamTime(_activityStreamTime > WindowSpec.MaxTimestampMs - idle ? WindowSpec.MaxTimestampMs : _activityStreamTime + idle, now);
        }

        return CloseDue(sealedOut, Spec.Window.MaxWindowsPerAdvance);
    }

    /// <summary>
    /// Serialises the state (versioned binary form; windows-per-unit counts only when no <see cref="IUnitWindowStore"/>
    /// holds them); restore with <c>FromBytes</c>.
    /// </summary>
    public byte[] ToBytes() => SegmentWindowEngineSerializer.Write(this, withEntries: true);

    /// <summary>
    /// The state without the open windows' contributions (spec binding, clock, source progress, and windows-per-unit
    /// counts when no <see cref="IUnitWindowStore"/> holds them): small and of bounded size, so a store keeps it under
    /// one key and each contribution as an entry of its own (<see cref="DrainChanges"/>); restore with
    /// <see cref="FromEntries"/>.
    /// </summary>
    public byte[] HeaderToBytes() => SegmentWindowEngineSerializer.Write(this, withEntries: false);

    /// <summary>Whether contributions changed or windows were sealed since the last <see cref="DrainChanges"/>.</summary>
    public bool HasPendingChanges =>
        _removedWindows is not null && (_removedWindows.Count > 0 || _changedUnits!.Count > 0 || _changedEventLevel!.Count > 0);

    /// <summary>
    /// Hands <paramref name="writer"/> what changed since the previous call (engines created with change tracking
    /// only): first every window sealed since (its entries are to be deleted), then, per open window in index order,
    /// the event-level entry and each changed unit's entry (units in ordinal order), and forgets them.
    /// </summary>
    public void DrainChanges(IWindowEntryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_removedWindows is null)
        {
            throw new InvalidOperationException("This engine does not track changes; persist it with ToBytes.");
        }

        foreach (var window in _removedWindows)
        {
            writer.RemoveWindow(window);
        }

        foreach (var window in _changedEventLevel!.Order())
        {
            if (SegmentWindowEngineSerializer.WriteEntry(this, window, null) is { } payload)
            {
                writer.Put(new WindowEntry(window, null, payload));
            }
        }

        foreach (var (window, units) in _changedUnits!.OrderBy(w => w.Key))
        {
            foreach (var unit in units.Order(StringComparer.Ordinal))
            {
                if (SegmentWindowEngineSerializer.WriteEntry(this, window, unit) is { } payload)
                {
                    writer.Put(new WindowEntry(window, unit, payload));
                }
            }
        }

        _removedWindows.Clear();
        _changedEventLevel!.Clear();
        _changedUnits!.Clear();
    }

    /// <summary>
    /// Restores a change-tracking engine from its <see cref="HeaderToBytes"/> header and the entries
    /// <see cref="DrainChanges"/> wrote (in any order). A header of the previous layout (v5, which held the open
    /// windows itself) is read too, its windows then all count as changed, so the next drain writes them as entries.
    /// Throws <see cref="FormatException"/> if anything is corrupt, was written for a different spec, or an entry
    /// belongs to a window already closed.
    /// </summary>
    public static SegmentWindowEngine FromEntries(SegmentAggregationSpec spec, TimeProvider time, ReadOnlySpan<byte> header,
        IEnumerable<WindowEntry> entries, IUnitWindowStore? unitWindowStore)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return SegmentWindowEngineSerializer.Read(spec, time, header, unitWindowStore, entries, trackChanges: true);
    }

    /// <summary>Restores an engine; throws <see cref="FormatException"/> if the bytes are corrupt or were written for a different spec.</summary>
    public static SegmentWindowEngine FromBytes(SegmentAggregationSpec spec, TimeProvider time, ReadOnlySpan<byte> state) =>
        SegmentWindowEngineSerializer.Read(spec, time, state, unitWindowStore: null, entries: null, trackChanges: false);

    /// <summary>
    /// Restores an engine whose windows-per-unit counts live in <paramref name="unitWindowStore"/>; counts found in
    /// <paramref name="state"/> (written by an engine that kept them in memory) are moved into the store.
    /// </summary>
    public static SegmentWindowEngine FromBytes(SegmentAggregationSpec spec, TimeProvider time, ReadOnlySpan<byte> state,
        IUnitWindowStore? unitWindowStore) =>
        SegmentWindowEngineSerializer.Read(spec, time, state, unitWindowStore, entries: null, trackChanges: false);

    /// <summary>
    /// Starts an engine for <paramref name="spec"/> where one under a different spec (another policy version, window
    /// size or aggregate list) left off: every window up to and including the one holding the previous stream time
    /// counts as closed, so records for them are late and nothing already released under the old spec is
    /// aggregated or released again. Windows the old engine still had open are not released (their partial state
    /// cannot be carried into different aggregates). Throws <see cref="FormatException"/> if the old state is corrupt.
    /// </summary>
    public static SegmentWindowEngine ContinueAfter(SegmentAggregationSpec spec, TimeProvider time, ReadOnlySpan<byte> previousState,
        IUnitWindowStore? unitWindowStore = null, bool trackChanges = false)
    {
        var engine = new SegmentWindowEngine(spec, time, unitWindowStore, trackChanges);
        var (started, streamTime) = SegmentWindowEngineSerializer.ReadClock(previousState);
        if (started && streamTime is >= 0 and <= WindowSpec.MaxTimestampMs)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            engine.Clock = (true, true, spec.Window.IndexOf(streamTime) + 1, streamTime, now, streamTime);
        }

        return engine;
    }

    internal (bool Started, bool SealedAny, long NextToClose, long StreamTime, long ActivityWallMs, long ActivityStreamTime) Clock
    {
        get => (_started, _sealedAny, _nextToClose, _streamTime, _activityWallMs, _activityStreamTime);
        set => (_started, _sealedAny, _nextToClose, _streamTime, _activityWallMs, _activityStreamTime) = value;
    }

    internal Dictionary<long, AggregateAccumulator[]> OpenWindows => _open;

    internal SourceWatermark Watermark => _watermark;

    internal Dictionary<string, int>?[] UnitWindows => _unitWindows;

    /// <summary>Marks every open window's contributions as changed (a state read from the layout that held them inline).</summary>
    internal void MarkAllChanged()
    {
        foreach (var (index, accumulators) in _open)
        {
            foreach (var accumulator in accumulators)
            {
                if (accumulator.HasEventLevel)
                {
                    MarkChanged(index, null);
                }

                foreach (var unit in accumulator.Units)
                {
                    MarkChanged(index, unit);
                }
            }
        }
    }

    private void MarkChanged(long window, string? unit)
    {
        if (_changedUnits is null)
        {
            return;
        }

        if (unit is null)
        {
            _changedEventLevel!.Add(window);
        }
        else if (_changedUnits.TryGetValue(window, out var units))
        {
            units.Add(unit);
        }
        else
        {
            _changedUnits.Add(window, new HashSet<string>(StringComparer.Ordinal) { unit });
        }
    }

    internal static AggregateAccumulator[] NewAccumulators(int count)
    {
        var accumulators = new AggregateAccumulator[count];
        for (var i = 0; i < count; i++)
        {
            accumulators[i] = new AggregateAccumulator();
        }

        return accumulators;
    }

    private bool Accumulate(int aggregate, AggregateAccumulator accumulator, string? unit, in AggregateInput input, ContributionOrder order) =>
        accumulator.Add(Spec.Aggregates[aggregate], unit, input, order) != AccumulateOutcome.Capped;

    // Windows per unit only matter for continual totals, whose noise is calibrated to MaxWindowsPerUnit windows. The
    // choice is made as windows seal (in window order), not as records arrive: a unit counts in the first
    // MaxWindowsPerUnit windows that hold its records, whatever order the records of several sources came in.
    private bool AdmitUnitWindow(int aggregate, string unit)
    {
        var spec = Spec.Aggregates[aggregate];
        var used = _unitWindowStore?.WindowsOf(spec.Name, unit) ?? _unitWindows[aggregate]!.GetValueOrDefault(unit);
        if (used >= spec.MaxWindowsPerUnit)
        {
            return false;
        }

        if (_unitWindowStore is { } store)
        {
            store.Record(spec.Name, unit, used + 1);
        }
        else
        {
            _unitWindows[aggregate]![unit] = used + 1;
        }

        return true;
    }

    // Stream time moves forward only, to the target but never past the wall clock.
    private void AdvanceStreamTime(long target, long now)
    {
        if (target != long.MinValue)
        {
            _streamTime = Math.Max(_streamTime, Math.Min(target, now));
        }
    }

    private int CloseDue(ICollection<SealedWindow> sealedOut, int limit)
    {
        var sealedCount = 0;
        var window = Spec.Window;
        while (sealedCount < limit && window.CloseTimeOf(_nextToClose) <= _streamTime)
        {
            var index = _nextToClose;
            var accumulators = _open.Remove(index, out var open) ? open : NewAccumulators(Spec.Aggregates.Count);
            if (_removedWindows is not null)
            {
                _changedUnits!.Remove(index);
                _changedEventLevel!.Remove(index);
                _removedWindows.Add(index);
            }

            var aggregates = new SealedAggregate[accumulators.Length];
            for (var i = 0; i < accumulators.Length; i++)
            {
                var aggregate = i;
                aggregates[i] = Spec.Aggregates[i].IsContinual
                    ? accumulators[i].Seal(Spec.Aggregates[i], unit => AdmitUnitWindow(aggregate, unit))
                    : accumulators[i].Seal(Spec.Aggregates[i]);
            }

            sealedOut.Add(new SealedWindow(Spec.Segment, index, window.StartOf(index), window.EndOf(index), aggregates));
            _nextToClose = index + 1;
            _sealedAny = true;
            sealedCount++;
        }

        return sealedCount;
    }
}

using System.Buffers.Binary;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// The live state of one windowed segment on one input partition: its window engine, budget ledger, continual
/// counters, per-unit event counts and source high-water marks. Loaded from the partition's store, changed by
/// records and timers, written back before each commit, and thrown away on abort (the store then holds exactly the
/// committed state to reload).
/// </summary>
internal sealed class SegmentState
{
    private readonly Dictionary<(long Window, UInt128 Unit), int> _capCounts = [];
    private readonly HashSet<(long Window, UInt128 Unit)> _dirtyCaps = [];
    private readonly Dictionary<(string Topic, int Partition), long> _highWater = [];
    private readonly HashSet<(string Topic, int Partition)> _dirtyHighWater = [];
    private readonly Dictionary<(string Topic, int Partition), string> _sourceKeys = [];
    private long _capClock = long.MinValue;
    private long _capFloor = long.MinValue;
    private bool _capClockDirty;
    private StoreUnitWindows? _unitWindows;
    private byte[]? _pendingOwner;
    private UnitLifetimes? _lifetimes;
    private List<WindowEntry>? _staleEntries;

    private SegmentState(WindowedSegment segment, IKeyValueStore store)
    {
        Segment = segment;
        Store = store;
    }

    internal WindowedSegment Segment { get; }

    internal IKeyValueStore Store { get; }

    /// <summary>The window engine (segments with aggregates only).</summary>
    internal SegmentWindowEngine? Engine { get; private set; }

    /// <summary>Whether the engine changed in the open transaction.</summary>
    internal bool EngineDirty { get; set; }

    /// <summary>The ledger, once loaded for a release.</summary>
    internal BudgetLedger? Ledger { get; set; }

    /// <summary>The continual counters, once loaded for a release.</summary>
    internal ContinualTotals? Continual { get; set; }

    /// <summary>Sealed windows whose seal is committed: released at the next punctuation.</summary>
    internal SortedSet<long> Releasable { get; } = [];

    /// <summary>Windows sealed in the open transaction (releasable once it commits).</summary>
    internal List<long> SealedInTransaction { get; } = [];

    /// <summary>Stream time: the engine's, or the unit-cap clock of a segment without aggregates.</summary>
    internal long StreamTime => Engine?.StreamTime ?? _capClock;

    /// <summary>
    /// Loads the committed state. Engine state written under a different spec (policy change) is abandoned:
    /// <paramref name="abandoned"/> names what was, for the log.
    /// </summary>
    internal static SegmentState Load(WindowedSegment segment, IKeyValueStore store, TimeProvider time, out string? abandoned)
    {
        abandoned = null;
        var state = new SegmentState(segment, store);
        if (segment.Spec is { } spec)
        {
            var bytes = store.Get(StateKeys.Engine(segment.Name));
            var unitWindows = spec.Aggregates.Any(a => a.IsContinual) ? new StoreUnitWindows(store, segment.Name, spec.ContentHash) : null;
            state._unitWindows = unitWindows;
            var entries = ReadWindowEntries(segment.Name, store);
            try
            {
                state.Engine = bytes is not null
                    ? SegmentWindowEngine.FromEntries(spec, time, bytes, entries, unitWindows)
                    : entries.Count == 0
                        ? new SegmentWindowEngine(spec, time, unitWindows, trackChanges: true)
                        : throw new FormatException("Window entries without the engine that owns them.");
                // A state written in the layout that held the windows inline is rewritten as entries at the next commit.
                state.EngineDirty = state.Engine.HasPendingChanges;
            }
            catch (FormatException)
            {
                // Written under another spec (policy change): continue after its stream time, so windows it
                // covered stay closed; its open windows are abandoned, and their entries deleted with the next commit.
                abandoned = "window engine";
                try
                {
                    state.Engine = bytes is null
                        ? throw new FormatException("No engine state.")
                        : SegmentWindowEngine.ContinueAfter(spec, time, bytes, unitWindows, trackChanges: true);
                }
                catch (FormatException)
                {
                    abandoned = "corrupt window engine";
                    state.Engine = new SegmentWindowEngine(spec, time, unitWindows, trackChanges: true);
                }

                // Deleted with the next flush (inside the transaction: a load may happen outside one).
                state._staleEntries = entries;
                state.EngineDirty = true;
            }

            foreach (var (key, _) in store.Range(KeyRange.Prefix(StateKeys.SealedPrefix(segment.Name))))
            {
                state.Releasable.Add(StateKeys.SealedIndexOf(key));
            }
        }

        if (store.Get(StateKeys.CapClock(segment.Name)) is { } clock)
        {
            state._capClock = StateKeys.ReadLong(clock);
        }

        if (segment.EventCharge is not null)
        {
            state._lifetimes = UnitLifetimes.Load(segment, store);
        }

        return state;
    }

    /// <summary>Whether this store holds any state of the segment (so that a restore must load it to release pending windows).</summary>
    internal static bool Exists(WindowedSegment segment, IKeyValueStore store) =>
        store.Get(StateKeys.Engine(segment.Name)) is not null;

    /// <summary>
    /// Records that <paramref name="offset"/> of the source partition is processed; false if it already was (the
    /// input was replayed). Source offsets reach a segment in order, so one mark per source partition suffices.
    /// </summary>
    internal bool TryAdvanceHighWater(string topic, int partition, long offset)
    {
        var key = (topic, partition);
        if (!_highWater.TryGetValue(key, out var mark))
        {
            mark = Store.Get(StateKeys.HighWater(Segment.Name, topic, partition)) is { } bytes ? StateKeys.ReadLong(bytes) : -1;
        }

        if (offset <= mark)
        {
            _highWater[key] = mark;
            return false;
        }

        _highWater[key] = offset;
        _dirtyHighWater.Add(key);
        return true;
    }

    /// <summary>
    /// Advances the unit-cap clock of a segment without aggregates (never past the wall clock <paramref name="nowMs"/>,
    /// so a record ahead of it closes no window early); false when the record's window is closed.
    /// </summary>
    internal bool AdvanceCapClock(long timestampMs, long windowIndex, long nowMs)
    {
        if (_capClock != long.MinValue && Segment.Window.CloseTimeOf(windowIndex) <= _capClock)
        {
            return false;
        }

        var advanced = Math.Min(timestampMs, nowMs);
        if (advanced > _capClock)
        {
            _capClock = advanced;
            _capClockDirty = true;
        }

        return true;
    }

    /// <summary>The window engine's name of a source partition (<see cref="StateKeys.SourceName"/>), built once per source.</summary>
    internal string SourceKey(string topic, int partition)
    {
        if (!_sourceKeys.TryGetValue((topic, partition), out var key))
        {
            key = StateKeys.SourceName(topic, partition);
            _sourceKeys.Add((topic, partition), key);
        }

        return key;
    }

    /// <summary>Counts one event of <paramref name="unit"/> in <paramref name="windowIndex"/>; false when the unit already reached <paramref name="cap"/>.</summary>
    internal bool TryCountUnitEvent(long windowIndex, ReadOnlySpan<byte> unit, int cap)
    {
        ExpireCapCounts();
        var key = (windowIndex, BinaryPrimitives.ReadUInt128BigEndian(unit));
        if (!_capCounts.TryGetValue(key, out var count))
        {
            count = Store.Get(StateKeys.CapCount(Segment.Name, windowIndex, unit)) is { Length: 4 } bytes
                ? BinaryPrimitives.ReadInt32BigEndian(bytes)
                : 0;
        }

        if (count >= cap)
        {
            _capCounts[key] = count;
            return false;
        }

        _capCounts[key] = count + 1;
        _dirtyCaps.Add(key);
        return true;
    }

    /// <summary>The per-unit lifetime ledger of event-level noise; null when the segment declares no lifetime cap.</summary>
    internal UnitLifetimes? Lifetimes => _lifetimes;

    /// <summary>
    /// Persists who owns this state (<paramref name="record"/>: topic, partition, partition count) with the first
    /// flush, unless the store already holds it; it is checked at every later assignment.
    /// </summary>
    internal void RecordOwner(byte[] record) =>
        _pendingOwner = Store.Get(StateKeys.Owner(Segment.Name)) is null ? record : null;

    /// <summary>Writes what changed in the open transaction to the store (and so to the changelog).</summary>
    internal void Flush()
    {
        var name = Segment.Name;
        if (_pendingOwner is not null)
        {
            Store.Put(StateKeys.Owner(name), _pendingOwner);
            _pendingOwner = null;
        }
        if (_staleEntries is not null)
        {
            foreach (var entry in _staleEntries)
            {
                Store.Delete(StateKeys.WindowEntry(name, entry.Window, entry.Unit));
            }

            _staleEntries = null;
        }

        if (Engine is not null && (EngineDirty || Engine.HasPendingChanges))
        {
            // The header (bounded: clock, source progress) under one key, each changed contribution under its own.
            Store.Put(StateKeys.Engine(name), Engine.HeaderToBytes());
            Engine.DrainChanges(new StoreWindowEntries(Store, name));
            EngineDirty = false;
        }

        _unitWindows?.Flush();
        _lifetimes?.Flush();

        if (_capClockDirty)
        {
            Store.Put(StateKeys.CapClock(name), StateKeys.Long(_capClock));
            _capClockDirty = false;
        }

        Span<byte> unit = stackalloc byte[16];
        foreach (var (window, unitValue) in _dirtyCaps)
        {
            BinaryPrimitives.WriteUInt128BigEndian(unit, unitValue);
            var value = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(value, _capCounts[(window, unitValue)]);
            Store.Put(StateKeys.CapCount(name, window, unit), value);
        }

        _dirtyCaps.Clear();
        foreach (var key in _dirtyHighWater)
        {
            Store.Put(StateKeys.HighWater(name, key.Topic, key.Partition), StateKeys.Long(_highWater[key]));
        }

        _dirtyHighWater.Clear();
    }

    private static List<WindowEntry> ReadWindowEntries(string segment, IKeyValueStore store)
    {
        var entries = new List<WindowEntry>();
        foreach (var (key, value) in store.Range(KeyRange.Prefix(StateKeys.WindowEntryPrefix(segment))))
        {
            var (window, unit) = StateKeys.WindowEntryOf(key, segment);
            entries.Add(new WindowEntry(window, unit, value));
        }

        return entries;
    }

    // Counts of closed windows are never needed again (their records are late): delete them as stream time passes.
    private void ExpireCapCounts()
    {
        var streamTime = StreamTime;
        if (streamTime == long.MinValue)
        {
            return;
        }

        var grace = (long)Segment.Window.Grace.TotalMilliseconds;
        var firstOpen = Segment.Window.IndexOf(streamTime - grace);
        if (firstOpen <= _capFloor)
        {
            return;
        }

        var from = _capFloor == long.MinValue ? StateKeys.CapCountFrom(Segment.Name, null) : StateKeys.CapCountFrom(Segment.Name, _capFloor);
        foreach (var (key, _) in Store.Range(new KeyRange(from, StateKeys.CapCountFrom(Segment.Name, firstOpen))).ToList())
        {
            Store.Delete(key);
        }

        foreach (var key in _capCounts.Keys.Where(k => k.Window < firstOpen).ToList())
        {
            _capCounts.Remove(key);
            _dirtyCaps.Remove(key);
        }

        _capFloor = firstOpen;
    }

    // The engine's entries as store entries of the segment; a sealed window's entries are deleted as a range.
    private sealed class StoreWindowEntries(IKeyValueStore store, string segment) : IWindowEntryWriter
    {
        public void Put(in WindowEntry entry) => store.Put(StateKeys.WindowEntry(segment, entry.Window, entry.Unit), entry.Payload);

        public void RemoveWindow(long window)
        {
            foreach (var (key, _) in store.Range(KeyRange.Prefix(StateKeys.WindowEntryPrefix(segment, window))).ToList())
            {
                store.Delete(key);
            }
        }
    }
}

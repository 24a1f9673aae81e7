using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Windowing;

/// <summary>
/// Incremental persistence of the window engine: a small header plus one entry per (open window, unit), so that no
/// stored value grows with the number of units and a commit writes only what changed.
/// </summary>
public sealed class SegmentWindowEngineEntriesTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void DrainChanges_ManyUnitsInOneWindow_NoEntryOrHeaderGrowsWithTheUnits()
    {
        var spec = MixedSpec();
        var engine = new SegmentWindowEngine(spec, _clock, unitWindowStore: new DictionaryUnitWindows(), trackChanges: true);
        var sealedOut = new List<SealedWindow>();
        for (var u = 0; u < 20_000; u++)
        {
            engine.Observe(At(1, u % 50), "in/0", u, "unit-" + u, Inputs(spec, number: u % 90, category: u % 3), sealedOut);
        }

        var store = new EntryStore();
        engine.DrainChanges(store);

        store.Entries.Count.ShouldBe(20_000);
        store.Entries.Values.Max(p => p.Length).ShouldBeLessThan(512);
        engine.HeaderToBytes().Length.ShouldBeLessThan(512);
        // The whole-state form holds every unit: what a single store record would have to carry.
        engine.ToBytes().Length.ShouldBeGreaterThan(2_000_000);
    }

    [Fact]
    public void DrainChanges_SecondDrain_OnlyTheUnitsThatChangedAndTheSealedWindows()
    {
        var spec = MixedSpec();
        var engine = new SegmentWindowEngine(spec, _clock, unitWindowStore: new DictionaryUnitWindows(), trackChanges: true);
        var sealedOut = new List<SealedWindow>();
        for (var u = 0; u < 100; u++)
        {
            engine.Observe(At(1, 1), "in/0", u, "unit-" + u, Inputs(spec), sealedOut);
        }

        var store = new EntryStore();
        engine.DrainChanges(store);
        engine.HasPendingChanges.ShouldBeFalse();
        store.Puts.Clear();

        engine.Observe(At(1, 2), "in/0", 100, "unit-7", Inputs(spec), sealedOut);
        engine.Observe(At(1, 3), "in/0", 101, null, Inputs(spec), sealedOut);
        engine.HasPendingChanges.ShouldBeTrue();
        engine.DrainChanges(store);
        store.Puts.ShouldBe([(1L, (string?)null), (1L, "unit-7")]);

        // A record past the grace seals window 1: its entries go, the new window's come.
        store.Puts.Clear();
        engine.Observe(At(2, 30), "in/0", 102, "unit-1", Inputs(spec), sealedOut).SealedWindows.ShouldBe(1);
        engine.DrainChanges(store);
        store.Removed.ShouldBe([1L]);
        store.Entries.Keys.ShouldBe([(2L, "unit-1")]);
    }

    [Fact]
    public void FromEntries_ReloadedAtEveryCommit_SealsExactlyWhatAnUninterruptedEngineSeals()
    {
        var spec = MixedSpec();
        var records = Records(spec, seed: 5, count: 900);
        var reference = new SegmentWindowEngine(spec, _clock);
        var fromReference = new List<SealedWindow>();
        var store = new EntryStore();
        var unitWindows = new DictionaryUnitWindows();
        var engine = new SegmentWindowEngine(spec, _clock, unitWindows, trackChanges: true);
        var fromReloaded = new List<SealedWindow>();
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            var expected = reference.Observe(r.Time, r.Source, i, r.Unit, r.Inputs, fromReference);
            engine.Observe(r.Time, r.Source, i, r.Unit, r.Inputs, fromReloaded).ShouldBe(expected);
            if (i % 37 == 36)
            {
                // A commit: header and changed entries written; then the engine is rebuilt from the store alone.
                var header = engine.HeaderToBytes();
                engine.DrainChanges(store);
                engine = SegmentWindowEngine.FromEntries(spec, _clock, header, store.AsEntries(), unitWindows);
                engine.HasPendingChanges.ShouldBeFalse();
            }
        }

        fromReference.Count.ShouldBeGreaterThan(10);
        fromReloaded.Select(w => Convert.ToHexString(w.ToBytes())).ShouldBe(fromReference.Select(w => Convert.ToHexString(w.ToBytes())));
        // Sealed windows left the store; only open windows have entries.
        store.Entries.Keys.Select(k => k.Window).ShouldAllBe(w => w >= engine.NextWindowToClose);
    }

    [Fact]
    public void ToBytes_SnapshotOfEntries_IsCanonicalAndRoundTrips()
    {
        var spec = MixedSpec();
        var engine = new SegmentWindowEngine(spec, _clock);
        var sealedOut = new List<SealedWindow>();
        foreach (var (r, i) in Records(spec, seed: 9, count: 120).Select((r, i) => (r, i)))
        {
            engine.Observe(r.Time, r.Source, i, r.Unit, r.Inputs, sealedOut);
        }

        var bytes = engine.ToBytes();
        SegmentWindowEngine.FromBytes(spec, _clock, bytes).ToBytes().ShouldBe(bytes);
        bytes[0].ShouldBe((byte)6);
    }

    [Fact]
    public void FromBytes_StateWrittenByV5_SealsWhatTheV5EngineWouldHave()
    {
        // engine-state-v5.hex: the v5 state of an engine (continual windows-per-unit kept in memory) after the
        // first 200 of these records.
        var spec = V5Spec();
        var v5 = Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Windowing", "Fixtures", "engine-state-v5.hex")).Trim());
        var records = V5Records(spec);
        var reference = new SegmentWindowEngine(spec, _clock);
        var fromReference = new List<SealedWindow>();
        for (var i = 0; i < 200; i++)
        {
            reference.Observe(records[i].Time, records[i].Source, i, records[i].Unit, records[i].Inputs, fromReference);
        }

        var whole = SegmentWindowEngine.FromBytes(spec, _clock, v5);
        var tracked = SegmentWindowEngine.FromEntries(spec, _clock, v5, [], unitWindowStore: null);
        // Read into a change-tracking engine, every window the v5 state held inline is pending, to be written as entries.
        tracked.HasPendingChanges.ShouldBeTrue();
        var store = new EntryStore();
        var header = tracked.HeaderToBytes();
        tracked.DrainChanges(store);
        var migrated = SegmentWindowEngine.FromEntries(spec, _clock, header, store.AsEntries(), unitWindowStore: null);
        migrated.ToBytes().ShouldBe(whole.ToBytes());
        whole.ToBytes().ShouldBe(reference.ToBytes());

        var fromWhole = new List<SealedWindow>();
        var fromMigrated = new List<SealedWindow>();
        var before = fromReference.Count;
        for (var i = 200; i < records.Count; i++)
        {
            var r = records[i];
            var expected = reference.Observe(r.Time, r.Source, i, r.Unit, r.Inputs, fromReference);
            whole.Observe(r.Time, r.Source, i, r.Unit, r.Inputs, fromWhole).ShouldBe(expected);
            migrated.Observe(r.Time, r.Source, i, r.Unit, r.Inputs, fromMigrated).ShouldBe(expected);
        }

        var tail = fromReference.Skip(before).Select(w => Convert.ToHexString(w.ToBytes())).ToList();
        tail.Count.ShouldBeGreaterThan(2);
        fromWhole.Select(w => Convert.ToHexString(w.ToBytes())).ShouldBe(tail);
        fromMigrated.Select(w => Convert.ToHexString(w.ToBytes())).ShouldBe(tail);
    }

    [Fact]
    public void FromEntries_EntryOfAClosedWindowDuplicateOrCorrupt_Throws()
    {
        var spec = MixedSpec();
        var engine = new SegmentWindowEngine(spec, _clock, new DictionaryUnitWindows(), trackChanges: true);
        var sealedOut = new List<SealedWindow>();
        engine.Observe(At(1, 1), "in/0", 0, "u", Inputs(spec), sealedOut);
        engine.Observe(At(3, 30), "in/0", 1, "v", Inputs(spec), sealedOut);
        var store = new EntryStore();
        engine.DrainChanges(store);
        var header = engine.HeaderToBytes();
        var entry = store.AsEntries().ShouldHaveSingleItem();
        entry.Window.ShouldBe(3);

        Should.Throw<FormatException>(() => SegmentWindowEngine.FromEntries(spec, _clock, header, [entry with { Window = 1 }], null));
        Should.Throw<FormatException>(() => SegmentWindowEngine.FromEntries(spec, _clock, header, [entry, entry], null));
        Should.Throw<FormatException>(() => SegmentWindowEngine.FromEntries(spec, _clock, header, [entry with { Payload = entry.Payload[..^1] }], null));
        Should.Throw<FormatException>(() => SegmentWindowEngine.FromEntries(spec, _clock, header, [entry with { Payload = [.. entry.Payload, 0] }], null));
        Should.Throw<FormatException>(() => SegmentWindowEngine.FromEntries(Segment([Count(epsilon: 2)]), _clock, header, [], null));
        Should.Throw<InvalidOperationException>(() => new SegmentWindowEngine(spec, _clock).DrainChanges(store));
    }

    // Every kind, a continual count, and units that skip some aggregates (missing values).
    private static SegmentAggregationSpec MixedSpec() =>
        Segment([.. AllKinds().Select(a => a.Kind == AggregateKind.Count ? a with { MaxContributionsPerWindow = 3 } : a),
            Count("visits-total") with { Continual = PrivacyCost.Pure(new Epsilon(1)), MaxWindowsPerUnit = 2 }]);

    private static List<(long Time, string Source, string? Unit, AggregateInput[] Inputs)> Records(SegmentAggregationSpec spec, int seed, int count)
    {
        var random = new System.Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var inputs = Inputs(spec, random.Next(-10, 200), random.Next(-1, 4));
            if (random.Next(4) == 0)
            {
                inputs[1] = AggregateInput.Missing;
            }

            return (At(i / 40, random.Next(0, 60_000) / 1000.0), "in/" + random.Next(2), random.Next(5) == 0 ? null : "u" + random.Next(30), inputs);
        })];
    }

    // The spec and records the v5 fixture was written with.
    private static SegmentAggregationSpec V5Spec() => MixedSpec();

    private static List<(long Time, string Source, string? Unit, AggregateInput[] Inputs)> V5Records(SegmentAggregationSpec spec)
    {
        var random = new System.Random(11);
        return [.. Enumerable.Range(0, 300).Select(i =>
        {
            var time = At(i / 40, random.Next(0, 60_000) / 1000.0);
            var source = "in/" + random.Next(2);
            var unit = random.Next(5) == 0 ? null : "u" + random.Next(20);
            return (time, source, unit, Inputs(spec, random.Next(-10, 200), random.Next(-1, 4)));
        })];
    }

    private sealed class EntryStore : IWindowEntryWriter
    {
        internal SortedDictionary<(long Window, string? Unit), byte[]> Entries { get; } = new(Comparer<(long Window, string? Unit)>.Create(
            (a, b) => a.Window != b.Window ? a.Window.CompareTo(b.Window) : string.CompareOrdinal(a.Unit, b.Unit)));

        internal List<(long Window, string? Unit)> Puts { get; } = [];

        internal List<long> Removed { get; } = [];

        public void Put(in WindowEntry entry)
        {
            Entries[(entry.Window, entry.Unit)] = entry.Payload;
            Puts.Add((entry.Window, entry.Unit));
        }

        public void RemoveWindow(long window)
        {
            Removed.Add(window);
            foreach (var key in Entries.Keys.Where(k => k.Window == window).ToList())
            {
                Entries.Remove(key);
            }
        }

        // Reversed, to show the order entries are read in does not matter.
        internal List<WindowEntry> AsEntries() => [.. Entries.Reverse().Select(e => new WindowEntry(e.Key.Window, e.Key.Unit, e.Value))];
    }

    private sealed class DictionaryUnitWindows : IUnitWindowStore
    {
        private readonly Dictionary<(string, string), int> _counts = [];

        public int WindowsOf(string aggregate, string unit) => _counts.GetValueOrDefault((aggregate, unit));

        public void Record(string aggregate, string unit, int windows) => _counts[(aggregate, unit)] = windows;
    }
}

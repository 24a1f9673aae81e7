using System.Text.Json.Nodes;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.State;
using StreamMasking.Runtime.Tests.State;
using StreamMasking.Runtime.Windowing;

namespace StreamMasking.Runtime.Tests.Windowing;

/// <summary>Key layout, unit ids, per-unit caps and replay marks of the window state, on a real RocksDB store.</summary>
public sealed class SegmentStateTests : IDisposable
{
    private const long Minute = 60_000;

    // A wall-clock time (2027-01-15T08:00Z, a whole minute) after every event time of these tests.
    private const long WallNow = 1_800_000_000_000;
    private readonly TempDirectory _dir = new();

    [Fact]
    public void SealedKeys_NegativeAndPositiveWindows_SortInWindowOrderAndRoundTrip()
    {
        long[] windows = [long.MinValue, -5, -1, 0, 1, 7, long.MaxValue];
        var keys = windows.Select(w => StateKeys.Sealed("seg", w)).ToList();

        keys.Order(ByteArrayComparer.Instance).Select(StateKeys.SealedIndexOf).ShouldBe(windows);
        keys.ShouldAllBe(k => KeyRange.Prefix(StateKeys.SealedPrefix("seg")).Contains(k));
        // A segment whose name extends another's is a different range.
        KeyRange.Prefix(StateKeys.SealedPrefix("seg")).Contains(StateKeys.Sealed("seg2", 0)).ShouldBeFalse();
    }

    [Fact]
    public void UnitId_SameValueAnyJsonType_SameOpaqueIdPerSegmentOnly()
    {
        var (a, b) = (Segment("a"), Segment("b"));

        var id = a.UnitId(Body("\"P-42\""))!;
        a.UnitId(Body("\"P-42\"")).ShouldBe(id);
        b.UnitId(Body("\"P-42\"")).ShouldNotBe(id);
        a.UnitId(Body("42")).ShouldBe(a.UnitId(Body("\"42\"")));
        id.Length.ShouldBe(16);
        a.UnitId(Body("{\"nested\":1}")).ShouldBeNull();
        a.UnitId(new JsonObject()).ShouldBeNull();
    }

    [Fact]
    public void UnitCap_CountsPerWindowPersistsAndExpiresClosedWindows()
    {
        var segment = Segment("a");
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        var unit = segment.UnitId(Body("\"P-1\""))!;
        var state = SegmentState.Load(segment, store, TimeProvider.System, out _);

        state.AdvanceCapClock(10, 0, WallNow).ShouldBeTrue();
        state.TryCountUnitEvent(0, unit, cap: 2).ShouldBeTrue();
        state.TryCountUnitEvent(0, unit, cap: 2).ShouldBeTrue();
        state.TryCountUnitEvent(0, unit, cap: 2).ShouldBeFalse();
        state.Flush();

        // A reload (after a commit, a restart or a rebalance) continues the count.
        var reloaded = SegmentState.Load(segment, store, TimeProvider.System, out _);
        reloaded.TryCountUnitEvent(0, unit, cap: 2).ShouldBeFalse();
        reloaded.TryCountUnitEvent(1, unit, cap: 2).ShouldBeTrue();
        reloaded.Flush();
        store.Range(KeyRange.Prefix(StateKeys.CapCountFrom("a", null))).Count().ShouldBe(2);

        // Stream time passes the end of window 0 plus grace (5 s): its counts are deleted, window 1's stay.
        reloaded.AdvanceCapClock(Minute + 5_000, 1, WallNow).ShouldBeTrue();
        reloaded.TryCountUnitEvent(1, unit, cap: 2).ShouldBeTrue();
        reloaded.TryCountUnitEvent(1, unit, cap: 2).ShouldBeFalse();
        store.Range(KeyRange.Prefix(StateKeys.CapCountFrom("a", null))).Select(kv => kv.Key)
            .ShouldBe([StateKeys.CapCount("a", 1, unit)]);
        // And window 0 is now closed: its records are late.
        reloaded.AdvanceCapClock(30_000, 0, WallNow).ShouldBeFalse();
    }

    [Fact]
    public void UnitCapClock_RecordAheadOfTheWallClock_ClosesNoWindowEarly()
    {
        var segment = Segment("a");
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        var state = SegmentState.Load(segment, store, TimeProvider.System, out _);
        var window = segment.Window;

        // Four minutes ahead (inside the default skew): the clock stops at the wall clock, so the window that ends now
        // (grace 5 s) is still open for its on-time records.
        state.AdvanceCapClock(WallNow + 240_000, window.IndexOf(WallNow + 240_000), WallNow).ShouldBeTrue();
        state.StreamTime.ShouldBe(WallNow);
        state.AdvanceCapClock(WallNow - 1_000, window.IndexOf(WallNow - 1_000), WallNow).ShouldBeTrue();
    }

    [Fact]
    public void HighWater_PerSourcePartition_RecognisesReplaysAfterReload()
    {
        var segment = Segment("a");
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        var state = SegmentState.Load(segment, store, TimeProvider.System, out _);

        state.TryAdvanceHighWater("in", 0, 5).ShouldBeTrue();
        state.TryAdvanceHighWater("in", 0, 5).ShouldBeFalse();
        state.TryAdvanceHighWater("in", 1, 2).ShouldBeTrue();
        state.Flush();

        var reloaded = SegmentState.Load(segment, store, TimeProvider.System, out _);
        reloaded.TryAdvanceHighWater("in", 0, 4).ShouldBeFalse();
        reloaded.TryAdvanceHighWater("in", 0, 6).ShouldBeTrue();
        reloaded.TryAdvanceHighWater("in", 1, 2).ShouldBeFalse();
        reloaded.TryAdvanceHighWater("other", 0, 0).ShouldBeTrue();
    }

    [Fact]
    public void ContinualUnitWindows_KeptPerUnitInTheStore_SurviveAReload()
    {
        var segment = Segment("a", aggregates: "aggregates: [{ name: n, kind: count, epsilon: 0.5, continual: true }]");
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        var unit = Convert.ToBase64String(segment.UnitId(Body("\"P-1\""))!);
        var state = SegmentState.Load(segment, store, TimeProvider.System, out _);
        var sealedWindows = new List<Core.Windowing.SealedWindow>();

        state.Engine!.Observe(1_000, unit, [Core.Windowing.AggregateInput.Present], sealedWindows).CappedAggregates.ShouldBe(0);
        // Windows per unit are counted as windows seal: another unit's record well past the grace seals window 0.
        state.Engine.Observe(10 * Minute, "other", [Core.Windowing.AggregateInput.Present], sealedWindows);
        sealedWindows[0].Aggregates[0].Count.ShouldBe(1);
        state.EngineDirty = true;
        state.Flush();
        store.Get(StateKeys.UnitWindows("a", segment.Spec!.ContentHash, "n", unit)).ShouldNotBeNull();

        // After a reload the unit's one window (windowsPerUnit 1) is remembered: the next window leaves it out.
        var reloaded = SegmentState.Load(segment, store, TimeProvider.System, out _);
        sealedWindows.Clear();
        reloaded.Engine!.Observe((10 * Minute) + 1_000, unit, [Core.Windowing.AggregateInput.Present], sealedWindows);
        reloaded.Engine.Observe(20 * Minute, "other", [Core.Windowing.AggregateInput.Present], sealedWindows);
        var window = sealedWindows.Single(w => w.WindowIndex == 10).Aggregates[0];
        window.Count.ShouldBe(1); // "other" only
        window.CappedContributions.ShouldBe(1);
    }

    [Fact]
    public void Flush_ManyUnitsInOneWindow_NoStoredValueGrowsWithTheUnits()
    {
        // One changelog record per segment for every open window's contributions would pass the broker's
        // message.max.bytes (1 MiB) at a few thousand units per window and stop the stage; entries keep each small.
        var segment = Segment("a", aggregates: "aggregates: [{ name: n, kind: count, epsilon: 0.5, maxContributionsPerUnit: 3 }]");
        using var rocks = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        var store = new LargestValueStore(rocks);
        var state = SegmentState.Load(segment, store, TimeProvider.System, out _);
        var sealedWindows = new List<Core.Windowing.SealedWindow>();
        for (var u = 0; u < 30_000; u++)
        {
            var unit = Convert.ToBase64String(segment.UnitId(Body($"\"P-{u}\""))!);
            state.Engine!.Observe(Minute + (u % 50_000), "in/0", u, unit, [Core.Windowing.AggregateInput.Present], sealedWindows);
        }

        state.EngineDirty = true;
        state.Flush();

        store.LargestValue.ShouldBeLessThan(1_024);
        store.Puts.ShouldBe(30_001); // the header and one entry per unit
        state.Engine!.ToBytes().Length.ShouldBeGreaterThan(1_048_588);

        // A reload sees every contribution; one more record writes the header and one entry only.
        var reloaded = SegmentState.Load(segment, store, TimeProvider.System, out var abandoned);
        abandoned.ShouldBeNull();
        store.Puts = 0;
        reloaded.Engine!.Observe(Minute + 1, "in/0", 30_000, "extra", [Core.Windowing.AggregateInput.Present], sealedWindows);
        reloaded.Flush();
        store.Puts.ShouldBe(2);
        reloaded.Engine.Observe(3 * Minute, "in/0", 30_001, "later", [Core.Windowing.AggregateInput.Present], sealedWindows);
        sealedWindows.Single(w => w.WindowIndex == 1).Aggregates[0].Count.ShouldBe(30_001);

        // The sealed window's entries are deleted with the flush that seals it.
        reloaded.Flush();
        rocks.Range(KeyRange.Prefix(StateKeys.WindowEntryPrefix("a", 1))).ShouldBeEmpty();
        rocks.Range(KeyRange.Prefix(StateKeys.WindowEntryPrefix("a"))).Count().ShouldBe(1);
    }

    [Fact]
    public void Load_EntriesUnderAnotherSpec_AbandonedAndDeletedWithTheNextFlush()
    {
        var before = Segment("a", aggregates: "aggregates: [{ name: n, kind: count, epsilon: 0.5 }]");
        var after = Segment("a", aggregates: "aggregates: [{ name: n, kind: count, epsilon: 1 }]");
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        var state = SegmentState.Load(before, store, TimeProvider.System, out _);
        state.Engine!.Observe(Minute + 1, "in/0", 0, "u", [Core.Windowing.AggregateInput.Present], []);
        state.Flush();
        store.Range(KeyRange.Prefix(StateKeys.WindowEntryPrefix("a"))).Count().ShouldBe(1);

        var changed = SegmentState.Load(after, store, TimeProvider.System, out var abandoned);
        abandoned.ShouldBe("window engine");
        // Loading writes nothing (it may happen outside a transaction); the next flush deletes the old entries.
        store.Range(KeyRange.Prefix(StateKeys.WindowEntryPrefix("a"))).Count().ShouldBe(1);
        changed.Flush();
        store.Range(KeyRange.Prefix(StateKeys.WindowEntryPrefix("a"))).ShouldBeEmpty();
        SegmentState.Load(after, store, TimeProvider.System, out abandoned).Engine!.StreamTime.ShouldBe(Minute + 1);
        abandoned.ShouldBeNull();
    }

    [Fact]
    public void WindowEntryKeys_SortByWindowThenUnitAndRoundTrip()
    {
        var keys = new[] { (5L, "b"), (-1L, null), (5L, null), (5L, "a"), (6L, null) }
            .Select(k => StateKeys.WindowEntry("seg", k.Item1, k.Item2)).Order(ByteArrayComparer.Instance).ToList();
        keys.Select(k => StateKeys.WindowEntryOf(k, "seg")).ShouldBe([(-1L, (string?)null), (5L, null), (5L, "a"), (5L, "b"), (6L, null)]);
        keys.ShouldAllBe(k => KeyRange.Prefix(StateKeys.WindowEntryPrefix("seg")).Contains(k));
        KeyRange.Prefix(StateKeys.WindowEntryPrefix("seg", 5)).Contains(keys[4]).ShouldBeFalse();
        Should.Throw<FormatException>(() => StateKeys.WindowEntryOf(StateKeys.Engine("seg"), "seg"));
    }

    public void Dispose() => _dir.Dispose();

    // Counts puts and keeps the largest value written.
    private sealed class LargestValueStore(IKeyValueStore inner) : IKeyValueStore
    {
        internal int LargestValue { get; private set; }

        internal int Puts { get; set; }

        public string Name => inner.Name;

        public int Partition => inner.Partition;

        public byte[]? Get(byte[] key) => inner.Get(key);

        public void Put(byte[] key, byte[] value)
        {
            LargestValue = Math.Max(LargestValue, value.Length);
            Puts++;
            inner.Put(key, value);
        }

        public void Delete(byte[] key) => inner.Delete(key);

        public IEnumerable<KeyValuePair<byte[], byte[]>> Range(KeyRange range) => inner.Range(range);
    }

    private static JsonObject Body(string idJson) =>
        JsonNode.Parse("{\"patient\":{\"id\":" + idJson + "}}")!.AsObject();

    private static WindowedSegment Segment(string name, string aggregates = "")
    {
        var dp = aggregates.Length == 0 ? "" : "\n    budget: { perWindow: { epsilon: 2 }, lifetime: { epsilon: 20 } }\n    " + aggregates;
        var yaml = $$"""
            version: "v1"
            segments:
              - name: {{name}}
                match: { field: type, equals: x }
                fields: { patient.id: tokenize }
                privacyUnit: { field: patient.id, maxEventsPerWindow: 2 }
                window: { size: 1m, grace: 5s }{{dp}}
            """;
        var parsed = PolicyLoader.Parse(yaml, "t.yaml");
        parsed.IsValid.ShouldBeTrue(string.Join('\n', parsed.Diagnostics));
        var policy = parsed.Policy!;
        return WindowedSegment.From(policy, Enumerable.Repeat((byte)1, 32).ToArray()).ShouldHaveSingleItem();
    }
}

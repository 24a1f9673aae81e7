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
        var sealedWindows = new List<Core.Aggregation.SealedWindow>();

        state.Engine!.Observe(1_000, unit, [Core.Aggregation.AggregateInput.Present], sealedWindows).CappedAggregates.ShouldBe(0);
        // Windows per unit are counted as windows seal: another unit's record well past the grace seals window 0.
        state.Engine.Observe(10 * Minute, "other", [Core.Aggregation.AggregateInput.Present], sealedWindows);
        sealedWindows[0].Aggregates[0].Count.ShouldBe(1);
        state.EngineDirty = true;
        state.Flush();
        store.Get(StateKeys.UnitWindows("a", segment.Spec!.ContentHash, "n", unit)).ShouldNotBeNull();

        // After a reload the unit's one window (windowsPerUnit 1) is remembered: the next window leaves it out.
        var reloaded = SegmentState.Load(segment, store, TimeProvider.System, out _);
        sealedWindows.Clear();
        reloaded.Engine!.Observe((10 * Minute) + 1_000, unit, [Core.Aggregation.AggregateInput.Present], sealedWindows);
        reloaded.Engine.Observe(20 * Minute, "other", [Core.Aggregation.AggregateInput.Present], sealedWindows);
        var window = sealedWindows.Single(w => w.WindowIndex == 10).Aggregates[0];
        window.Count.ShouldBe(1); // "other" only
        window.CappedContributions.ShouldBe(1);
    }

    public void Dispose() => _dir.Dispose();

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

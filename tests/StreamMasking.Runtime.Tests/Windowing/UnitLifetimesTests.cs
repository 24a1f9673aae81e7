using System.Text.Json.Nodes;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.State;
using StreamMasking.Runtime.Tests.State;
using StreamMasking.Runtime.Windowing;

namespace StreamMasking.Runtime.Tests.Windowing;

/// <summary>The per-unit lifetime ledger of event-level noise in the window state store (real RocksDB).</summary>
public sealed class UnitLifetimesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Charge_UpToTheCap_ThenExhaustedOnceThenWithheld_AndSurvivesAReload()
    {
        // Laplace ε 0.5 per event, lifetime ε 2: four events per unit.
        var segment = Segment();
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        var (p1, p2) = (segment.UnitId(Body("P1"))!, segment.UnitId(Body("P2"))!);
        var state = SegmentState.Load(segment, store, TimeProvider.System, out _);
        var ledger = state.Lifetimes.ShouldNotBeNull();

        Enumerable.Range(0, 3).Select(_ => ledger.Charge(p1)).ShouldAllBe(c => c == LifetimeCharge.Charged);
        ledger.Charge(p2).ShouldBe(LifetimeCharge.Charged);
        state.Flush();

        var reloaded = SegmentState.Load(segment, store, TimeProvider.System, out _).Lifetimes!;
        reloaded.Lost.ShouldBeFalse();
        reloaded.Charge(p1).ShouldBe(LifetimeCharge.Charged);
        reloaded.Charge(p1).ShouldBe(LifetimeCharge.NewlyExhausted);
        reloaded.Charge(p1).ShouldBe(LifetimeCharge.Withheld);
        reloaded.Flush();

        // The exhausted mark is persisted: after another reload the unit is withheld without a second notice.
        var third = SegmentState.Load(segment, store, TimeProvider.System, out _).Lifetimes!;
        third.Charge(p1).ShouldBe(LifetimeCharge.Withheld);
        third.Charge(p2).ShouldBe(LifetimeCharge.Charged);
        // Keys hold the unit's keyed digest, never its value.
        store.Range(KeyRange.Prefix([(byte)'e'])).ShouldAllBe(kv => !System.Text.Encoding.UTF8.GetString(kv.Key).Contains("P1"));
    }

    [Fact]
    public void Load_StateWithoutTheLedgerMarker_IsLostAndWithholdsEveryUnit()
    {
        var segment = Segment();
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        var state = SegmentState.Load(segment, store, TimeProvider.System, out _);
        state.RecordOwner([1, 2, 3]);
        state.Lifetimes!.Charge(segment.UnitId(Body("P1"))!).ShouldBe(LifetimeCharge.Charged);
        state.Flush();

        // The ledger's entries vanish while the rest of the segment's state survives.
        foreach (var (key, _) in store.Range(KeyRange.Prefix([(byte)'e'])).Concat(store.Range(KeyRange.Prefix([(byte)'E']))).ToList())
        {
            store.Delete(key);
        }

        var lost = SegmentState.Load(segment, store, TimeProvider.System, out _).Lifetimes!;
        lost.Lost.ShouldBeTrue();
        lost.Charge(segment.UnitId(Body("P1"))!).ShouldBe(LifetimeCharge.LedgerLost);
        lost.Charge(segment.UnitId(Body("P9"))!).ShouldBe(LifetimeCharge.LedgerLost);
    }

    [Fact]
    public void Charge_CorruptAccount_WithholdsTheUnitAndLeavesTheBytes()
    {
        var segment = Segment();
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        var unit = segment.UnitId(Body("P1"))!;
        var state = SegmentState.Load(segment, store, TimeProvider.System, out _);
        state.Flush();
        store.Put(StateKeys.UnitLifetime(segment.Name, unit), [9, 9, 9]);

        var reloaded = SegmentState.Load(segment, store, TimeProvider.System, out _);
        reloaded.Lifetimes!.Charge(unit).ShouldBe(LifetimeCharge.Withheld);
        reloaded.Flush();
        store.Get(StateKeys.UnitLifetime(segment.Name, unit)).ShouldBe([9, 9, 9]);
    }

    [Fact]
    public void Load_NoLifetimeCap_KeepsNoLedger()
    {
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        SegmentState.Load(Segment(lifetime: ""), store, TimeProvider.System, out _).Lifetimes.ShouldBeNull();
    }

    public void Dispose() => _dir.Dispose();

    private static JsonObject Body(string id) => new() { ["patient"] = new JsonObject { ["id"] = id } };

    private static WindowedSegment Segment(string lifetime = ", lifetime: { epsilon: 2 }")
    {
        var yaml = $$"""
            version: "v1"
            segments:
              - name: s
                match: { field: type, equals: x }
                fields:
                  patient.id: tokenize
                  cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 10 } }
                privacyUnit: { field: patient.id, maxEventsPerWindow: 2{{lifetime}} }
                window: { size: 1m, grace: 5s }
            """;
        var parsed = PolicyLoader.Parse(yaml, "t.yaml");
        parsed.IsValid.ShouldBeTrue(string.Join('\n', parsed.Diagnostics));
        return WindowedSegment.From(parsed.Policy!, Enumerable.Repeat((byte)1, 32).ToArray()).ShouldHaveSingleItem();
    }
}

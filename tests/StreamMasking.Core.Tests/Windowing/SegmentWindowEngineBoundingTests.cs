using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Windowing;

public sealed class SegmentWindowEngineBoundingTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private readonly List<SealedWindow> _sealed = [];

    [Fact]
    public void Observe_UnitBeyondContributionCap_IgnoredAndCounted()
    {
        var engine = new SegmentWindowEngine(Segment([Count(perWindow: 2)]), _clock);
        for (var i = 0; i < 5; i++)
        {
            var result = Observe(engine, At(1, i), "patient-1");
            result.CappedAggregates.ShouldBe(i < 2 ? 0 : 1);
        }

        Observe(engine, At(1, 6), "patient-2");
        Observe(engine, At(1, 7));
        Observe(engine, At(1, 8));
        Observe(engine, At(3));

        var aggregate = _sealed[0].Aggregates[0];
        aggregate.Count.ShouldBe(5); // 2 (capped unit) + 1 + 2 event-level records
        aggregate.CappedContributions.ShouldBe(3);
    }

    [Fact]
    public void Observe_HistogramUnit_BoundedByKeysAndPerKeyContributions()
    {
        var histogram = AllKinds()[3] with { MaxPartitionsPerUnit = 2, MaxContributionsPerWindow = 1 };
        var engine = new SegmentWindowEngine(Segment([histogram]), _clock);
        int[] categories = [0, 0, 1, 2, 1, -1];
        var capped = categories.Sum(c => engine.Observe(At(1), "u", [AggregateInput.FromCategory(c)], _sealed).CappedAggregates);
        Observe(engine, At(3));

        capped.ShouldBe(3); // second "cardio", "ortho" (a third key), second "neuro"; the out-of-domain key is skipped
        _sealed[0].Aggregates[0].Bins.ShouldBe([1L, 1L, 0L]);
    }

    [Fact]
    public void Observe_ContinualUnitBeyondMaxWindows_IgnoredInLaterWindows()
    {
        var count = Count() with { Continual = PrivacyCost.Pure(new Epsilon(1)), MaxWindowsPerUnit = 2 };
        var engine = new SegmentWindowEngine(Segment([count]), _clock);
        for (var minute = 0; minute < 4; minute++)
        {
            Observe(engine, At(minute, 1), "u").CappedAggregates.ShouldBe(0);
            Observe(engine, At(minute, 2), "u").CappedAggregates.ShouldBe(1); // L∞ = 1 within the window
        }

        // Windows per unit are decided as windows seal: the unit counts in its first two windows only.
        Observe(engine, At(9));
        _sealed.Take(4).Select(w => w.Aggregates[0].Count).ShouldBe([1L, 1L, 0L, 0L]);
        _sealed.Take(4).Select(w => w.Aggregates[0].CappedContributions).ShouldBe([1L, 1L, 2L, 2L]);
    }

    [Fact]
    public void Observe_UnitWindowsInAStore_SameBoundingAndNotInTheEngineState()
    {
        var count = Count() with { Continual = PrivacyCost.Pure(new Epsilon(1)), MaxWindowsPerUnit = 2 };
        var spec = Segment([count]);
        var store = new DictionaryUnitWindows();
        var inMemory = new SegmentWindowEngine(spec, _clock);
        var stored = new SegmentWindowEngine(spec, _clock, store);
        var fromStored = new List<SealedWindow>();
        for (var minute = 0; minute < 4; minute++)
        {
            foreach (var unit in new[] { "u", "v", "u" })
            {
                var a = Observe(inMemory, At(minute, 1), unit);
                stored.Observe(At(minute, 1), unit, [AggregateInput.Present], fromStored).ShouldBe(a);
            }
        }

        store.Counts.ShouldBe(new Dictionary<(string, string), int> { [("visits", "u")] = 2, [("visits", "v")] = 2 });
        // The store holds the counts; the engine's own state does not grow with the units.
        stored.ToBytes().Length.ShouldBeLessThan(inMemory.ToBytes().Length);

        // State written by an in-memory engine moves its counts into a store on restore.
        var migrated = new DictionaryUnitWindows();
        var restored = SegmentWindowEngine.FromBytes(spec, _clock, inMemory.ToBytes(), migrated);
        migrated.Counts.ShouldBe(store.Counts);
        restored.ToBytes().ShouldBe(stored.ToBytes());
    }

    [Fact]
    public void Observe_SumAndMean_ClampValuesAndSkipMissing()
    {
        var spec = Segment(AllKinds());
        var engine = new SegmentWindowEngine(spec, _clock);
        var inputs = Inputs(spec, number: 500);
        engine.Observe(At(1), null, inputs, _sealed);
        inputs[1] = AggregateInput.FromNumber(-3);
        inputs[2] = AggregateInput.Missing;
        engine.Observe(At(1), null, inputs, _sealed);
        Observe(engine, At(3));

        var aggregates = _sealed[0].Aggregates;
        aggregates[0].Count.ShouldBe(2);
        aggregates[1].Sum.ShouldBe(100); // 500 → 100, −3 → 0
        aggregates[2].Count.ShouldBe(1);
        aggregates[2].Sum.ShouldBe(120);
    }

    private ObserveResult Observe(SegmentWindowEngine engine, long time, string? unit = null) =>
        engine.Observe(time, unit, Inputs(engine.Spec), _sealed);

    private sealed class DictionaryUnitWindows : IUnitWindowStore
    {
        internal Dictionary<(string, string), int> Counts { get; } = [];

        public int WindowsOf(string aggregate, string unit) => Counts.GetValueOrDefault((aggregate, unit));

        public void Record(string aggregate, string unit, int windows) => Counts[(aggregate, unit)] = windows;
    }
}

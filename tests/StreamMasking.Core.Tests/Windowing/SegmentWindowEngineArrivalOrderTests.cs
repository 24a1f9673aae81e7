using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Windowing;

/// <summary>
/// A window's release is a function of its records, not of the order in which the records of several source
/// partitions reach the owner: after a restart, or with the route stage spread over several instances, the records of
/// one source arrive later than those of another, within grace. Contribution bounding then must not keep whichever of
/// a unit's records came first (the chaos test found windows whose sums and histograms differed from an
/// uninterrupted run's by one unit's record, with identical noise).
/// </summary>
public sealed class SegmentWindowEngineArrivalOrderTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Observe_UnitRecordsOfTwoSourcesInEitherArrivalOrder_SameSealedWindow()
    {
        var spec = Segment(AllKinds());
        // One unit, two records in the same window from two source partitions: the earlier one (by event time)
        // counts under L∞ = 1, whichever arrives first.
        var early = new Record(At(0, 10), "in/0", 7, "patient-1", Number: 46, Category: 1);
        var late = new Record(At(0, 12), "in/1", 3, "patient-1", Number: 92, Category: 0);

        var inOrder = Seal(spec, [early, late]);
        var swapped = Seal(spec, [late, early]);

        swapped.ShouldBe(inOrder);
        inOrder[1].ShouldBe("cost count=1 sum=46 bins=[] capped=1");
        inOrder[3].ShouldBe("departments count=1 sum=0 bins=[0,1,0] capped=1");
    }

    [Fact]
    public void Observe_EqualEventTimes_OrderedBySourceThenOffset()
    {
        var spec = Segment(AllKinds());
        var a = new Record(At(0, 10), "in/1", 2, "u", Number: 5, Category: 0);
        var b = new Record(At(0, 10), "in/0", 9, "u", Number: 7, Category: 2);

        Seal(spec, [a, b]).ShouldBe(Seal(spec, [b, a]));
        Seal(spec, [a, b])[1].ShouldBe("cost count=1 sum=7 bins=[] capped=1");
    }

    [Fact]
    public void Observe_RandomInterleavingsOfTheSameSources_SameSealedWindowsAsTimestampOrder()
    {
        // Bounds above one, so the choice of the L∞ earliest values and of the L0 earliest keys is exercised too; a
        // continual count with one window per unit, so the choice of a unit's window is too (records span windows 0, 1).
        var kinds = AllKinds().Select(a => a with { MaxContributionsPerWindow = 2, MaxPartitionsPerUnit = 2 }).ToList();
        kinds.Add(Count("running") with { Continual = PrivacyCost.Pure(new Epsilon(1)), MaxWindowsPerUnit = 1 });
        var spec = Segment(kinds);
        var random = new Random(20261203);
        for (var trial = 0; trial < 200; trial++)
        {
            var records = Records(random);
            var expected = Seal(spec, [.. records.OrderBy(r => r.Time).ThenBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Offset)]);

            // Each source's records keep their offset order (as a consumer reads them); the sources interleave at random.
            var queues = records.GroupBy(r => r.Source).Select(g => new Queue<Record>(g.OrderBy(r => r.Offset))).ToList();
            var interleaved = new List<Record>();
            while (queues.Any(q => q.Count > 0))
            {
                var open = queues.Where(q => q.Count > 0).ToList();
                interleaved.Add(open[random.Next(open.Count)].Dequeue());
            }

            // A restore from the state at a random point must not change the outcome either.
            Seal(spec, interleaved, restoreAt: random.Next(interleaved.Count + 1)).ShouldBe(expected, $"trial {trial}");
        }
    }

    [Fact]
    public void Observe_ContinualUnitInMoreWindowsThanItsCap_CountsInItsEarliestWindowsWhateverTheArrivalOrder()
    {
        // One unit in windows 0, 1 and 2, all open at once (5 minutes of grace), two windows per unit: it counts in
        // windows 0 and 1 even when the records of window 2 (from another source) arrive first. The chaos test saw
        // the first-arriving windows counted instead.
        var count = Count() with { Continual = PrivacyCost.Pure(new Epsilon(1)), MaxWindowsPerUnit = 2 };
        var spec = Segment([count], window: new WindowSpec(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)));
        var w0 = new Record(At(0, 10), "in/0", 0, "u", 0, 0);
        var w1 = new Record(At(1, 10), "in/0", 1, "u", 0, 0);
        var w2 = new Record(At(2, 10), "in/1", 0, "u", 0, 0);

        var inOrder = Seal(spec, [w0, w1, w2], windows: 3, closeAt: At(20));

        Seal(spec, [w2, w1, w0], windows: 3, closeAt: At(20)).ShouldBe(inOrder);
        Seal(spec, [w2, w0, w1], restoreAt: 1, windows: 3, closeAt: At(20)).ShouldBe(inOrder);
        inOrder.ShouldBe([
            "visits count=1 sum=0 bins=[] capped=0",
            "visits count=1 sum=0 bins=[] capped=0",
            "visits count=0 sum=0 bins=[] capped=1",
        ]);
    }

    private static List<Record> Records(Random random)
    {
        var records = new List<Record>();
        var offsets = new long[3];
        for (var i = 0; i < random.Next(1, 40); i++)
        {
            var source = random.Next(3);
            // Windows 0 and 1 of the minute spec; nothing reaches window 0's close (70 s) before the final records.
            records.Add(new Record(At(0, random.Next(0, 69)), "in/" + source, offsets[source]++, "u" + random.Next(4),
                Number: Math.Round(random.NextDouble() * 150, 3), Category: random.Next(-1, 4)));
        }

        return records;
    }

    private List<string> Seal(SegmentAggregationSpec spec, IReadOnlyList<Record> records, int restoreAt = -1, int windows = 2, long closeAt = -1)
    {
        var sealedWindows = new List<SealedWindow>();
        var engine = new SegmentWindowEngine(spec, _clock);
        for (var i = 0; i < records.Count; i++)
        {
            if (i == restoreAt)
            {
                engine = SegmentWindowEngine.FromBytes(spec, _clock, engine.ToBytes());
            }

            var r = records[i];
            var inputs = spec.Aggregates.Select(a => a.Kind switch
            {
                AggregateKind.Count => AggregateInput.Present,
                AggregateKind.Sum or AggregateKind.Mean => AggregateInput.FromNumber(r.Number),
                _ => AggregateInput.FromCategory(r.Category),
            }).ToArray();
            engine.Observe(r.Time, r.Source, r.Offset, r.Unit, inputs, sealedWindows).Outcome.ShouldBe(RecordOutcome.Accepted);
        }

        foreach (var source in new[] { "in/0", "in/1", "in/2" })
        {
            engine.Observe(closeAt < 0 ? At(5) : closeAt, source, long.MaxValue, null, Inputs(spec), sealedWindows);
        }

        return [.. sealedWindows.Where(w => w.WindowIndex < windows).SelectMany(w => w.Aggregates.Select(a => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{a.Name} count={a.Count} sum={a.Sum:R} bins=[{string.Join(',', a.Bins)}] capped={a.CappedContributions}")))];
    }

    private sealed record Record(long Time, string Source, long Offset, string Unit, double Number, int Category);
}

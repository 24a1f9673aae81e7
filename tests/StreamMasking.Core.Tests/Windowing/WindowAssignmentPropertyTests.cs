using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Windowing;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Windowing;

/// <summary>
/// Randomised out-of-order streams checked against an independent oracle: a record is late exactly when its
/// window's end + grace is at or before the largest timestamp seen so far; sealed windows are consecutive; every
/// accepted record is counted once, in its own window.
/// </summary>
public sealed class WindowAssignmentPropertyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Observe_OutOfOrderStream_MatchesLatenessOracleAndCountsEachAcceptedRecordOnce(int seed)
    {
        var random = new System.Random(seed);
        var spec = Segment(window: new WindowSpec(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(random.Next(0, 15))));
        var engine = new SegmentWindowEngine(spec, new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero)));
        var sealedWindows = new List<SealedWindow>();
        var expected = new Dictionary<long, long>();
        var maxSeen = long.MinValue;
        var clock = 1_000_000L;
        var inputs = Inputs(spec);
        var late = 0;
        for (var i = 0; i < 2_000; i++)
        {
            clock += random.Next(0, 400);
            var timestamp = clock - random.Next(0, 30_000); // up to 30 s out of order
            var index = spec.Window.IndexOf(timestamp);
            var oracleLate = maxSeen != long.MinValue && spec.Window.EndOf(index) + spec.Window.GraceMs <= Math.Max(maxSeen, timestamp);
            var result = engine.Observe(timestamp, null, inputs, sealedWindows);
            maxSeen = Math.Max(maxSeen, timestamp);

            result.Outcome.ShouldBe(oracleLate ? RecordOutcome.Late : RecordOutcome.Accepted);
            late += oracleLate ? 1 : 0;
            if (!oracleLate)
            {
                expected[index] = expected.GetValueOrDefault(index) + 1;
            }
        }

        late.ShouldBeInRange(1, 1_999); // both outcomes exercised
        engine.Observe(clock + 1_000_000, null, inputs, sealedWindows); // flush
        var indexes = sealedWindows.Select(w => w.WindowIndex).ToList();
        indexes.ShouldBe(Enumerable.Range(0, indexes.Count).Select(k => indexes[0] + k));
        indexes[0].ShouldBe(expected.Keys.Min());
        foreach (var window in sealedWindows)
        {
            window.Aggregates[0].Count.ShouldBe(expected.GetValueOrDefault(window.WindowIndex), $"window {window.WindowIndex}");
        }

        sealedWindows.Sum(w => w.Aggregates[0].Count).ShouldBe(expected.Values.Sum());
    }
}

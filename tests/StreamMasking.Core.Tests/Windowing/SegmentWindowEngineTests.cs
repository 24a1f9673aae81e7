using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Windowing;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Windowing;

public sealed class SegmentWindowEngineTests
{
    private static readonly DateTimeOffset WallStart = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(WallStart);
    private readonly List<SealedWindow> _sealed = [];

    [Theory]
    [InlineData(0, 0)]
    [InlineData(59_999, 0)]
    [InlineData(60_000, 1)]
    [InlineData(-1, -1)]
    [InlineData(-60_000, -1)]
    [InlineData(-60_001, -2)]
    public void IndexOf_Timestamp_FloorOfTimeOverSize(long timestamp, long expected)
    {
        Minute.IndexOf(timestamp).ShouldBe(expected);
        Minute.StartOf(expected).ShouldBeLessThanOrEqualTo(timestamp);
        Minute.EndOf(expected).ShouldBeGreaterThan(timestamp);
    }

    [Fact]
    public void Observe_RecordsInWindow_AssignedAndSealedWithExactCount()
    {
        var engine = NewEngine();
        Observe(engine, At(5, 1)).ShouldBe(new ObserveResult(RecordOutcome.Accepted, 5, 0, 0));
        Observe(engine, At(5, 59.999));
        Observe(engine, At(6, 0)).WindowIndex.ShouldBe(6);

        // Window 5 ends at 6:00 and closes at 6:10 (grace 10 s).
        Observe(engine, At(6, 9.999)).SealedWindows.ShouldBe(0);
        Observe(engine, At(6, 10)).SealedWindows.ShouldBe(1);

        var window = _sealed.ShouldHaveSingleItem();
        window.WindowIndex.ShouldBe(5);
        window.StartMs.ShouldBe(At(5));
        window.EndMs.ShouldBe(At(6));
        window.Aggregates[0].Count.ShouldBe(2);
    }

    [Fact]
    public void Observe_WithinGrace_AcceptedIntoEarlierWindow()
    {
        var engine = NewEngine();
        Observe(engine, At(5, 30));
        Observe(engine, At(6, 5));
        Observe(engine, At(5, 59)).Outcome.ShouldBe(RecordOutcome.Accepted);
        Observe(engine, At(6, 10));
        _sealed.ShouldHaveSingleItem().Aggregates[0].Count.ShouldBe(2);
    }

    [Fact]
    public void Observe_PastGrace_LateAndNotAggregated()
    {
        var engine = NewEngine();
        Observe(engine, At(5, 30));
        Observe(engine, At(6, 10));
        var late = Observe(engine, At(5, 59));
        late.Outcome.ShouldBe(RecordOutcome.Late);
        late.WindowIndex.ShouldBe(5);
        _sealed.ShouldHaveSingleItem().Aggregates[0].Count.ShouldBe(1);

        // A late record never moves stream time backwards nor re-opens the window.
        engine.StreamTime.ShouldBe(At(6, 10));
        Observe(engine, At(7, 10));
        _sealed.Select(w => w.WindowIndex).ShouldBe([5, 6]);
    }

    [Fact]
    public void Observe_StreamTimeJump_SealsEveryWindowInOrderIncludingEmptyOnes()
    {
        var engine = NewEngine();
        Observe(engine, At(5, 30));
        Observe(engine, At(9, 30));
        _sealed.Select(w => w.WindowIndex).ShouldBe([5, 6, 7, 8]);
        _sealed.Select(w => w.Aggregates[0].Count).ShouldBe([1, 0, 0, 0]);
        engine.NextWindowToClose.ShouldBe(9);
    }

    [Fact]
    public void Observe_EarlierRecordBeforeFirstSeal_ExtendsDeclaredRangeBackwards()
    {
        var engine = NewEngine();
        Observe(engine, At(5, 5));
        Observe(engine, At(4, 58)).Outcome.ShouldBe(RecordOutcome.Accepted);
        Observe(engine, At(6, 10));
        _sealed.Select(w => w.WindowIndex).ShouldBe([4, 5]);
    }

    [Fact]
    public void CloseIdle_AfterIdleTimeout_AdvancesStreamTimeWithWallClock()
    {
        var engine = NewEngine();
        Observe(engine, At(5, 30));
        _clock.Advance(TimeSpan.FromMinutes(4));
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(0);

        _clock.Advance(TimeSpan.FromMinutes(1));
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(5);

        // Stream time 5:30 + 5 min idle = 10:30: windows 5..9 have closed (9 ends 10:00, + grace 10:10).
        engine.StreamTime.ShouldBe(At(10, 30));
        _sealed.Select(w => w.WindowIndex).ShouldBe([5, 6, 7, 8, 9]);

        _clock.Advance(TimeSpan.FromMinutes(1));
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(1);
        Observe(engine, At(9, 0)).Outcome.ShouldBe(RecordOutcome.Late);
    }

    [Fact]
    public void CloseIdle_BeforeAnyRecordOrWithoutTimeout_SealsNothing()
    {
        var engine = NewEngine();
        _clock.Advance(TimeSpan.FromHours(1));
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(0);

        var noIdle = new SegmentWindowEngine(Segment(window: new WindowSpec(TimeSpan.FromMinutes(1), TimeSpan.Zero)), _clock);
        Observe(noIdle, At(1));
        _clock.Advance(TimeSpan.FromHours(1));
        noIdle.CloseIdle(_sealed, caughtUp: true).ShouldBe(0);
        _sealed.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(WindowSpec.MaxTimestampMs + 1)]
    [InlineData(long.MaxValue)]
    public void Observe_UnusableTimestamp_OutOfRangeAndStreamTimeUnchanged(long timestamp)
    {
        var engine = NewEngine();
        Observe(engine, At(5));
        Observe(engine, timestamp).Outcome.ShouldBe(RecordOutcome.OutOfRange);
        engine.StreamTime.ShouldBe(At(5));
        _sealed.ShouldBeEmpty();
    }

    [Fact]
    public void Observe_RecordTooFarAhead_OutOfRangeInsteadOfSealingMillionsOfWindows()
    {
        var spec = Segment(window: new WindowSpec(TimeSpan.FromMinutes(1), TimeSpan.Zero, TimeSpan.FromMinutes(1), maxWindowsPerAdvance: 10));
        var engine = new SegmentWindowEngine(spec, _clock);
        Observe(engine, At(0));
        Observe(engine, At(11)).Outcome.ShouldBe(RecordOutcome.OutOfRange);
        Observe(engine, At(10)).Outcome.ShouldBe(RecordOutcome.Accepted);
        _sealed.Select(w => w.WindowIndex).ShouldBe(Enumerable.Range(0, 10).Select(i => (long)i));
    }

    [Fact]
    public void CloseIdle_LongIdleness_SealsInBoundedBatchesAndBacklogWindowsAreLate()
    {
        var spec = Segment(window: new WindowSpec(TimeSpan.FromMinutes(1), TimeSpan.Zero, TimeSpan.FromMinutes(1), maxWindowsPerAdvance: 10));
        var engine = new SegmentWindowEngine(spec, _clock);
        Observe(engine, At(0, 30));
        _clock.Advance(TimeSpan.FromMinutes(25));
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(10);
        engine.StreamTime.ShouldBe(At(25, 30));

        // Window 15 is past its close time though not yet sealed: late, not re-opened.
        Observe(engine, At(15, 1)).ShouldBe(new ObserveResult(RecordOutcome.Late, 15, 0, 10));
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(5);
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(0);
        _sealed.Select(w => w.WindowIndex).ShouldBe(Enumerable.Range(0, 25).Select(i => (long)i));
        _sealed.Sum(w => w.Aggregates[0].Count).ShouldBe(1);
    }

    [Fact]
    public void ToBytes_RestoredMidStream_SealsIdenticalFutureWindows()
    {
        var spec = Segment([.. AllKinds().Select(a => a.Kind == AggregateKind.Count ? a with { MaxContributionsPerWindow = 3 } : a)]);
        var random = new System.Random(7);
        var records = Enumerable.Range(0, 600)
            .Select(i => (Time: At(i / 40, random.Next(0, 60_000) / 1000.0), Unit: "u" + random.Next(20), Number: random.Next(-10, 200), Category: random.Next(-1, 4)))
            .ToList();

        var original = new SegmentWindowEngine(spec, _clock);
        var restored = original;
        var fromOriginal = new List<SealedWindow>();
        var fromRestored = new List<SealedWindow>();
        for (var i = 0; i < records.Count; i++)
        {
            var (time, unit, number, category) = records[i];
            var inputs = Inputs(spec, number, category);
            if (i == 300)
            {
                restored = SegmentWindowEngine.FromBytes(spec, _clock, original.ToBytes());
                restored.ToBytes().ShouldBe(original.ToBytes());
            }

            var a = original.Observe(time, unit, inputs, fromOriginal);
            if (i >= 300)
            {
                restored.Observe(time, unit, inputs, fromRestored).ShouldBe(a);
            }
        }

        fromRestored.Count.ShouldBeGreaterThan(5);
        var tail = fromOriginal.Skip(fromOriginal.Count - fromRestored.Count).Select(w => Convert.ToHexString(w.ToBytes()));
        fromRestored.Select(w => Convert.ToHexString(w.ToBytes())).ShouldBe(tail);
    }

    [Fact]
    public void FromBytes_StateOfAnotherSpec_Throws()
    {
        var engine = NewEngine();
        Observe(engine, At(1));
        var state = engine.ToBytes();
        Should.Throw<FormatException>(() => SegmentWindowEngine.FromBytes(Segment([Count(perWindow: 10)]), _clock, state));
        Should.Throw<FormatException>(() => SegmentWindowEngine.FromBytes(Segment([Count(epsilon: 2)]), _clock, state));
        Should.Throw<FormatException>(() => SegmentWindowEngine.FromBytes(Segment(), _clock, state.AsSpan(0, state.Length - 1)));
    }

    [Fact]
    public void ContinueAfter_StateOfAnotherPolicyVersion_KeepsEveryCoveredWindowClosed()
    {
        var engine = NewEngine();
        Observe(engine, At(1, 5));
        Observe(engine, At(3, 20));  // seals windows 1 and 2; window 3 is open with one record
        _sealed.Select(w => w.WindowIndex).ShouldBe([1, 2]);
        _sealed.Clear();

        var next = SegmentWindowEngine.ContinueAfter(Segment(policyVersion: "v2"), _clock, engine.ToBytes());

        next.StreamTime.ShouldBe(engine.StreamTime);
        next.NextWindowToClose.ShouldBe(4);
        // Window 3 held the old stream time: closed under the new spec too, so its records are late, never re-released.
        Observe(next, At(3, 30)).Outcome.ShouldBe(RecordOutcome.Late);
        Observe(next, At(1, 0)).Outcome.ShouldBe(RecordOutcome.Late);
        Observe(next, At(4, 1)).Outcome.ShouldBe(RecordOutcome.Accepted);
        Observe(next, At(5, 10)).SealedWindows.ShouldBe(1);
        _sealed.ShouldHaveSingleItem().WindowIndex.ShouldBe(4);
    }

    [Fact]
    public void ContinueAfter_NeverStartedOrCorrupt_FreshOrThrows()
    {
        var fresh = SegmentWindowEngine.ContinueAfter(Segment(policyVersion: "v2"), _clock, NewEngine().ToBytes());
        fresh.HasStarted.ShouldBeFalse();
        var state = NewEngine().ToBytes();
        Should.Throw<FormatException>(() => SegmentWindowEngine.ContinueAfter(Segment(), _clock, state.AsSpan(0, 5)));
    }

    [Fact]
    public void SealedWindow_ToBytes_RoundTripsExactly()
    {
        var spec = Segment(AllKinds());
        var engine = new SegmentWindowEngine(spec, _clock);
        engine.Observe(At(1), "u", Inputs(spec, 0.1 + 0.2, 2), _sealed);
        Observe(engine, At(3));
        var bytes = _sealed[0].ToBytes();
        SealedWindow.FromBytes(bytes).ToBytes().ShouldBe(bytes);
        SealedWindow.FromBytes(bytes).Aggregates[1].Sum.ShouldBe(0.1 + 0.2);
    }

    [Fact]
    public void Observe_RecordsIntoOpenWindow_AllocateNothingPerRecord()
    {
        var spec = Segment(AllKinds());
        var engine = new SegmentWindowEngine(spec, _clock);
        var inputs = Inputs(spec, 42, 1);
        for (var i = 0; i < 2_000; i++)
        {
            engine.Observe(At(1, i % 60), null, inputs, _sealed);
        }

        // The JIT may still be tiering these methods up while the suite runs in parallel, and its allocations count
        // on this thread: take the least of three rounds. A per-record allocation (≥ 10,000 × 8 bytes) shows in every
        // round.
        var least = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                engine.Observe(At(1, i % 60), null, inputs, _sealed);
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        least.ShouldBeLessThan(1_000);
    }

    private SegmentWindowEngine NewEngine() => new(Segment(), _clock);

    private ObserveResult Observe(SegmentWindowEngine engine, long time, string? unit = null) =>
        engine.Observe(time, unit, Inputs(engine.Spec), _sealed);
}

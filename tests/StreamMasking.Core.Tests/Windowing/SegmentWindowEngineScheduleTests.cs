using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.Windowing;
using static StreamMasking.Testing.WindowSpecs;

namespace StreamMasking.Core.Tests.Windowing;

/// <summary>
/// Who controls the release schedule: not one far-future record, not a source partition running ahead of the others,
/// not an outage or a backlog. Wall time is a hand-moved clock; event times are near it unless a test says otherwise.
/// </summary>
public sealed class SegmentWindowEngineScheduleTests
{
    private static readonly DateTimeOffset WallStart = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly long Now0 = WallStart.ToUnixTimeMilliseconds();
    private static readonly WindowSpec Hourly = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(5));
    private readonly FakeTimeProvider _clock = new(WallStart);
    private readonly List<SealedWindow> _sealed = [];

    [Fact]
    public void Observe_OneRecord300HoursAhead_OutOfRangeSealsNothingAndLaterOnTimeRecordsAreAccepted()
    {
        // The attack: hourly windows, on-time traffic, then one record 300 h ahead of the wall clock.
        var engine = new SegmentWindowEngine(Segment(window: Hourly), _clock);
        Observe(engine, Now0 - 60_000).Outcome.ShouldBe(RecordOutcome.Accepted);
        var before = engine.StreamTime;

        Observe(engine, Now0 + (300 * 3_600_000L)).Outcome.ShouldBe(RecordOutcome.OutOfRange);

        engine.StreamTime.ShouldBe(before);
        _sealed.ShouldBeEmpty();
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(30));
            Observe(engine, Now0 + (i * 30_000)).Outcome.ShouldBe(RecordOutcome.Accepted);
        }

        _sealed.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(300_000, RecordOutcome.Accepted)]
    [InlineData(300_001, RecordOutcome.OutOfRange)]
    public void Observe_AheadOfWallClock_AcceptedUpToTheMaxFutureSkew(long aheadMs, RecordOutcome expected)
    {
        var engine = new SegmentWindowEngine(Segment(), _clock);
        Observe(engine, Now0 + aheadMs).Outcome.ShouldBe(expected);
    }

    [Fact]
    public void Observe_RecordInsideTheSkew_StreamTimeStopsAtTheWallClockSoNoWindowClosesEarly()
    {
        // 1-minute windows, 10 s grace: a record 4 minutes ahead would otherwise close 3 windows and make their
        // on-time records late.
        var engine = new SegmentWindowEngine(Segment(), _clock);
        var minute = Minute.IndexOf(Now0);
        Observe(engine, Now0 - 1_000);
        Observe(engine, Now0 + 240_000).Outcome.ShouldBe(RecordOutcome.Accepted);

        engine.StreamTime.ShouldBe(Now0);
        _sealed.ShouldBeEmpty();
        Observe(engine, Now0 - 2_000).Outcome.ShouldBe(RecordOutcome.Accepted);

        // Real time moves on: windows close on schedule (the early record's window, minute + 4, closes at 12:05:10).
        _clock.Advance(TimeSpan.FromMinutes(5));
        Observe(engine, Now0 + 300_000);
        _sealed.Select(w => w.WindowIndex).ShouldBe(Enumerable.Range(-1, 5).Select(i => minute + i));
        _sealed[0].Aggregates[0].Count.ShouldBe(2);
    }

    [Fact]
    public void Observe_TwoSources_StreamTimeFollowsTheSlowerSource()
    {
        var engine = new SegmentWindowEngine(Segment(), _clock);
        engine.Observe(At(0, 1), "in/0", null, Inputs(engine.Spec), _sealed);
        engine.Observe(At(0, 2), "in/1", null, Inputs(engine.Spec), _sealed);

        // Source 0 runs 10 minutes ahead: source 1 still holds stream time at 0:02.
        for (var m = 1; m <= 10; m++)
        {
            engine.Observe(At(m), "in/0", null, Inputs(engine.Spec), _sealed).Outcome.ShouldBe(RecordOutcome.Accepted);
        }

        engine.StreamTime.ShouldBe(At(0, 2));
        _sealed.ShouldBeEmpty();
        engine.Observe(At(0, 30), "in/1", null, Inputs(engine.Spec), _sealed).Outcome.ShouldBe(RecordOutcome.Accepted);
        engine.Observe(At(3, 15), "in/1", null, Inputs(engine.Spec), _sealed).SealedWindows.ShouldBe(3);
        _sealed.Select(w => w.Aggregates[0].Count).ShouldBe([3, 1, 1]);
    }

    [Fact]
    public void CloseIdle_QuietSourceForTheSourceIdleTimeout_NoLongerHoldsStreamTimeBack()
    {
        var engine = new SegmentWindowEngine(Segment(window: new WindowSpec(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10))), _clock);
        engine.Observe(At(0, 1), "in/1", null, Inputs(engine.Spec), _sealed);
        engine.Observe(At(5), "in/0", null, Inputs(engine.Spec), _sealed);
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(0);

        // No idle close declared: a source is idle after size + grace (70 s) of caught-up quiet.
        _clock.Advance(TimeSpan.FromSeconds(69));
        engine.Observe(At(5, 30), "in/0", null, Inputs(engine.Spec), _sealed);
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(0);
        _clock.Advance(TimeSpan.FromSeconds(1));
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(5);
        engine.StreamTime.ShouldBe(At(5, 30));

        // Back from idleness: it counts again, but stream time never moves backwards.
        engine.Observe(At(5, 25), "in/1", null, Inputs(engine.Spec), _sealed).Outcome.ShouldBe(RecordOutcome.Accepted);
        engine.StreamTime.ShouldBe(At(5, 30));
    }

    [Fact]
    public void CloseIdle_NotCaughtUp_TimeNeverCountsAsIdle()
    {
        var engine = new SegmentWindowEngine(Segment(), _clock);
        Observe(engine, At(5, 30));
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            engine.CloseIdle(_sealed, caughtUp: false).ShouldBe(0);
        }

        // Caught up from here: idle time starts at the first caught-up tick; 5 minutes of it close windows.
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(0);
        _clock.Advance(TimeSpan.FromMinutes(4));
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(0);
        _clock.Advance(TimeSpan.FromMinutes(1));
        engine.CloseIdle(_sealed, caughtUp: true).ShouldBe(5);
        engine.StreamTime.ShouldBe(At(10, 30));
    }

    [Fact]
    public void FromBytes_RestoredAfterAnOutage_FirstTickCountsNoIdleTime()
    {
        var engine = new SegmentWindowEngine(Segment(), _clock);
        Observe(engine, At(5, 30));
        var state = engine.ToBytes();

        _clock.Advance(TimeSpan.FromHours(2));
        var restored = SegmentWindowEngine.FromBytes(engine.Spec, _clock, state);
        restored.CloseIdle(_sealed, caughtUp: true).ShouldBe(0);
        _clock.Advance(TimeSpan.FromMinutes(1));
        restored.CloseIdle(_sealed, caughtUp: true).ShouldBe(0);

        // The backlog of the outage is read now, and is on time.
        restored.Observe(At(6, 5), null, Inputs(engine.Spec), _sealed).Outcome.ShouldBe(RecordOutcome.Accepted);
        restored.Observe(At(7, 20), null, Inputs(engine.Spec), _sealed).Outcome.ShouldBe(RecordOutcome.Accepted);
        _sealed.Select(w => w.WindowIndex).ShouldBe([5, 6]);
    }

    [Fact]
    public void FromBytes_TwoSources_TheLaggingSourceStillHoldsStreamTimeBack()
    {
        var engine = new SegmentWindowEngine(Segment(), _clock);
        engine.Observe(At(0, 1), "in/1", null, Inputs(engine.Spec), _sealed);
        engine.Observe(At(9), "in/0", null, Inputs(engine.Spec), _sealed);

        var restored = SegmentWindowEngine.FromBytes(engine.Spec, _clock, engine.ToBytes());
        restored.ToBytes().ShouldBe(engine.ToBytes());
        restored.Observe(At(10), "in/0", null, Inputs(engine.Spec), _sealed);
        restored.StreamTime.ShouldBe(At(0, 1));
        restored.Observe(At(0, 40), "in/1", null, Inputs(engine.Spec), _sealed).Outcome.ShouldBe(RecordOutcome.Accepted);
        _sealed.ShouldBeEmpty();
    }

    [Fact]
    public void FromBytes_EarlierLayoutsWithoutContentBinding_RefusedButTheirClockIsStillRead()
    {
        var engine = new SegmentWindowEngine(Segment(), _clock);
        Observe(engine, At(3, 20));
        var current = engine.ToBytes();
        // v2 = the current layout with the earlier version byte: its spec binding cannot be checked against the
        // content hash, so the engine refuses it (the owner treats that as a policy transition) ...
        var earlier = current.ToArray();
        earlier[0] = 2;

        Should.Throw<FormatException>(() => SegmentWindowEngine.FromBytes(engine.Spec, _clock, earlier));

        // ... while the header of a real v1/v2 state (policy version and aggregate names instead of the hash) is read.
        var legacy = LegacyHeader(version: 1, started: true, streamTime: At(3, 20));
        SegmentWindowEngineSerializer.ReadClock(legacy).ShouldBe((true, At(3, 20)));
        SegmentWindowEngineSerializer.ReadClock(current).ShouldBe((true, At(3, 20)));
    }

    // The v1/v2 header: version, segment, policy version, window size, aggregates (name, kind, domain size), then the clock.
    private static byte[] LegacyHeader(byte version, bool started, long streamTime)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(version);
            writer.Write("visits");
            writer.Write("v1");
            writer.Write(60_000L);
            writer.Write(1);
            writer.Write("count");
            writer.Write((byte)0);
            writer.Write(0);
            writer.Write(started);
            writer.Write(true);
            writer.Write(0L);
            writer.Write(streamTime);
        }

        return stream.ToArray();
    }

    private ObserveResult Observe(SegmentWindowEngine engine, long time) =>
        engine.Observe(time, null, Inputs(engine.Spec), _sealed);
}

using Microsoft.Extensions.Time.Testing;
using StreamMasking.Broker.Storage;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Tests.Storage;

/// <summary>Recovery of a partition log from its segment files, sparse indexes and producer snapshots.</summary>
public sealed class SegmentedLogRecoveryTests : IDisposable
{
    private const int IndexInterval = 4096;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sm-seg-{Guid.NewGuid():N}");
    private readonly TopicConfig _config = new(new Dictionary<string, string> { ["segment.bytes"] = "65536", ["index.interval.bytes"] = $"{IndexInterval}" });

    private PartitionLog Open()
    {
        var log = new PartitionLog("t", 0, _dir, () => _config, _time, () => { }, new BatchCache(16 * 1024));
        log.Recover();
        return log;
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static string Value(int i) => $"v{i:D6}-" + new string('x', 180);

    private static void Fill(PartitionLog log, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            log.AppendFromProducer(TestBatches.Plain(($"k{i}", Value(i)))).Error.ShouldBe(Broker.Protocol.ErrorCode.None);
        }
    }

    [Fact]
    public void Append_ManySegments_WritesSparseOffsetAndTimeIndexes()
    {
        using var log = Open();
        Fill(log, 0, 2000);
        log.SegmentCount.ShouldBeGreaterThan(4);
        foreach (var segment in log.Segments)
        {
            // One entry per index.interval.bytes of log (the first batch always has one).
            segment.OffsetIndexEntries.ShouldBeLessThanOrEqualTo((int)(segment.SizeInBytes / IndexInterval) + 1);
            segment.OffsetIndexEntries.ShouldBeGreaterThanOrEqualTo((int)(segment.SizeInBytes / (IndexInterval + 300)));
            new FileInfo(Path.ChangeExtension(segment.FilePath!, ".index")).Length.ShouldBe(segment.OffsetIndexEntries * 8L);
            new FileInfo(Path.ChangeExtension(segment.FilePath!, ".timeindex")).Length.ShouldBe(segment.TimeIndexEntries * 12L);
        }
    }

    [Fact]
    public void Recover_AfterCleanClose_ReadsOnlyTheTailAfterEachLastIndexEntry()
    {
        long size;
        using (var log = Open())
        {
            Fill(log, 0, 2000);
            log.AppendFromProducer(TestBatches.Idempotent(7, 0, 0, 2));
            size = log.SizeInBytes;
        }

        using var reopened = Open();
        reopened.HighWatermark.ShouldBe(2002);
        var segments = reopened.SegmentCount;
        // Per segment: the header check of the last index entry plus the tail from it (< interval + one batch).
        reopened.RecoveryBytesRead.ShouldBeLessThanOrEqualTo(segments * (61L + IndexInterval + 2 * 300));
        reopened.RecoveryBytesRead.ShouldBeLessThan(size / 5);
        TestBatches.Decode(reopened.Read(1234, 300, false).Batches).First().Value.ShouldBe(Value(1234));
        // Producer state came from the snapshot written at close: a retry is still a duplicate.
        reopened.AppendFromProducer(TestBatches.Idempotent(7, 0, 0, 2)).BaseOffset.ShouldBe(2000);
        reopened.HighWatermark.ShouldBe(2002);
    }

    [Fact]
    public void Recover_AfterCrash_ReplaysHeadersOfTheActiveSegmentOnly()
    {
        // Never disposed: like a killed process, no snapshot at the log end is written.
        var crashed = Open();
        Fill(crashed, 0, 2000);
        crashed.AppendFromProducer(TestBatches.Idempotent(7, 0, 0, 2));
        crashed.AppendFromProducer(TestBatches.Transactional(9, 0, 0));
        var size = crashed.SizeInBytes;
        var active = crashed.Segments[^1].SizeInBytes;

        using var reopened = Open();
        reopened.HighWatermark.ShouldBe(2003);
        reopened.HasOpenTransaction(9).ShouldBeTrue();
        reopened.LastStableOffset.ShouldBe(2002);
        reopened.AppendFromProducer(TestBatches.Idempotent(7, 0, 0, 2)).BaseOffset.ShouldBe(2000);
        // Tails of every segment plus the headers of the active one, never the whole log.
        reopened.RecoveryBytesRead.ShouldBeLessThanOrEqualTo(reopened.SegmentCount * (61L + IndexInterval + 600) + active);
        reopened.RecoveryBytesRead.ShouldBeLessThan(size / 3);
    }

    [Fact]
    public void Recover_TornTailOfLastSegment_IsTruncatedWithItsIndexEntries()
    {
        using (var log = Open())
        {
            Fill(log, 0, 500);
        }

        var last = Directory.GetFiles(_dir, "*.log").Order(StringComparer.Ordinal).Last();
        using (var file = new FileStream(last, FileMode.Open))
        {
            // Half of the last batch is lost; garbage follows where the OS wrote a partial page.
            file.SetLength(file.Length - 100);
            file.Seek(0, SeekOrigin.End);
            file.Write(new byte[300]);
        }

        using var reopened = Open();
        reopened.HighWatermark.ShouldBe(499);
        reopened.Segments[^1].SizeInBytes.ShouldBe(new FileInfo(last).Length);
        reopened.AppendFromProducer(TestBatches.Plain(("k", "after"))).BaseOffset.ShouldBe(499);
        var values = TestBatches.Decode(reopened.Read(0, int.MaxValue, false).Batches).Select(r => r.Value).ToList();
        values.Count.ShouldBe(500);
        values[498].ShouldBe(Value(498));
        values[499].ShouldBe("after");
    }

    [Fact]
    public void Recover_IndexPointingPastATruncatedLog_FallsBackToAnEarlierEntry()
    {
        using (var log = Open())
        {
            Fill(log, 0, 300);
        }

        var last = Directory.GetFiles(_dir, "*.log").Order(StringComparer.Ordinal).Last();
        var keep = new FileInfo(last).Length / 2;
        using (var file = new FileStream(last, FileMode.Open))
        {
            file.SetLength(keep);
        }

        using var reopened = Open();
        var recovered = reopened.HighWatermark;
        recovered.ShouldBeLessThan(300);
        TestBatches.Decode(reopened.Read(0, int.MaxValue, false).Batches).Select(r => r.Value)
            .ShouldBe(Enumerable.Range(0, (int)recovered).Select(Value));
        new FileInfo(Path.ChangeExtension(last, ".index")).Length.ShouldBe(reopened.Segments[^1].OffsetIndexEntries * 8L);
    }

    [Fact]
    public void Recover_MissingIndexFiles_AreRebuiltFromTheSegments()
    {
        using (var log = Open())
        {
            Fill(log, 0, 800);
        }

        foreach (var index in Directory.GetFiles(_dir, "*.index").Concat(Directory.GetFiles(_dir, "*.timeindex")))
        {
            File.Delete(index);
        }

        using var reopened = Open();
        reopened.HighWatermark.ShouldBe(800);
        reopened.Segments.ShouldAllBe(s => s.OffsetIndexEntries > 1 && s.TimeIndexEntries > 0);
        TestBatches.Decode(reopened.Read(777, 300, false).Batches).First().Value.ShouldBe(Value(777));
    }

    [Fact]
    public void Recover_RepeatedCrashes_KeepEachAbortedTransactionOnceInIndexAndFetch()
    {
        var crashed = Open();
        for (var round = 0; round < 40; round++)
        {
            crashed.AppendFromProducer(TestBatches.Transactional(9, 0, round * 200, 200)).Error.ShouldBe(Broker.Protocol.ErrorCode.None);
            crashed.AppendControlMarker(9, 0, commit: round % 2 == 0, coordinatorEpoch: 0);
        }

        for (var restart = 0; restart < 3; restart++)
        {
            // Not disposed: each restart replays the active segment after the last roll snapshot.
            crashed = Open();
        }

        crashed.SegmentCount.ShouldBeGreaterThan(1);
        var aborted = crashed.Read(0, int.MaxValue, readCommitted: true).AbortedTransactions!;
        aborted.Count.ShouldBe(20);
        aborted.Select(a => a.LastOffset).Distinct().Count().ShouldBe(20);
        Directory.GetFiles(_dir, "*.txnindex").Sum(f => new FileInfo(f).Length).ShouldBe(20 * 34);
        crashed.Dispose();
    }
}

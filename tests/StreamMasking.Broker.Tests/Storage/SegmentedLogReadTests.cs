using Microsoft.Extensions.Time.Testing;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Storage;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Tests.Storage;

/// <summary>Reads, retention and the batch cache of a partition log kept in segment files.</summary>
public sealed class SegmentedLogReadTests : IDisposable
{
    private const long Start = 1_700_000_000_000;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Start));
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sm-segr-{Guid.NewGuid():N}");

    private PartitionLog Open(TopicConfig config, BatchCache? cache = null)
    {
        var log = new PartitionLog("t", 0, _dir, () => config, _time, () => { }, cache ?? new BatchCache(16 * 1024));
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

    private static TopicConfig Config(params (string Key, string Value)[] overrides) =>
        new(overrides.ToDictionary(o => o.Key, o => o.Value));

    [Fact]
    public void Cache_AfterWritingTenTimesItsBound_NeverHoldsMoreThanTheBound()
    {
        var cache = new BatchCache(64 * 1024);
        var logs = Enumerable.Range(0, 3)
            .Select(p => new PartitionLog("t", p, Path.Combine(_dir, $"t-{p}"), () => Config(("segment.bytes", "100000")), _time, () => { }, cache))
            .ToList();
        logs.ForEach(l => l.Recover());
        long written = 0;
        for (var i = 0; i < 700; i++)
        {
            var batch = TestBatches.Plain(($"k{i}", new string('v', 1000)));
            logs[i % 3].AppendFromProducer(batch);
            written += batch.Length;
            cache.SizeInBytes.ShouldBeLessThanOrEqualTo(cache.CapacityBytes);
        }

        written.ShouldBeGreaterThan(10 * cache.CapacityBytes);
        cache.SizeInBytes.ShouldBeGreaterThan(cache.CapacityBytes / 2);
        logs.ForEach(l => l.Dispose());
    }

    [Fact]
    public void Read_OldOffsetAfterCacheEviction_IsReadFromTheSegmentFile()
    {
        var cache = new BatchCache(8 * 1024);
        using var log = Open(Config(("segment.bytes", "50000")), cache);
        for (var i = 0; i < 200; i++)
        {
            log.AppendFromProducer(TestBatches.Plain(($"k{i}", $"v{i}-" + new string('x', 1000))));
        }

        var before = log.BytesRead;
        var misses = cache.Misses;
        TestBatches.Decode(log.Read(3, 1, false).Batches).Single().Value.ShouldStartWith("v3-");
        log.BytesRead.ShouldBeGreaterThan(before);
        cache.Misses.ShouldBeGreaterThan(misses);

        // The head is still cached: no disk read.
        before = log.BytesRead;
        var hits = cache.Hits;
        TestBatches.Decode(log.Read(199, 1, false).Batches).Single().Value.ShouldStartWith("v199-");
        log.BytesRead.ShouldBe(before);
        cache.Hits.ShouldBeGreaterThan(hits);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(64 * 1024)]
    [InlineData(1024 * 1024)]
    public void Read_SequentiallyWithPartlyEvictedCache_ReturnsEveryOffsetOnce(int maxBytes)
    {
        var cache = new BatchCache(20 * 1024);
        using var log = Open(Config(("segment.bytes", "100000"), ("index.interval.bytes", "1000")), cache);
        for (var i = 0; i < 600; i++)
        {
            var records = Enumerable.Range(0, 1 + (i % 7)).Select(r => ((string?)$"k{i}-{r}", (string?)new string('v', 50 + (i % 13)))).ToArray();
            log.AppendFromProducer(TestBatches.Plain(records));
        }

        var offsets = new List<long>();
        var offset = 0L;
        while (offset < log.HighWatermark)
        {
            var slice = log.Read(offset, maxBytes, false);
            slice.Batches.ShouldNotBeEmpty();
            offsets.AddRange(TestBatches.Decode(slice.Batches).Select(r => r.Offset));
            offset = slice.Batches[^1].LastOffset + 1;
        }

        offsets.ShouldBe(Enumerable.Range(0, (int)log.HighWatermark).Select(o => (long)o));
    }

    [Fact]
    public void ApplyRetention_Time_DeletesExpiredSegmentFilesAndMovesTheLogStart()
    {
        var config = Config(("segment.bytes", "2000"), ("retention.ms", "3600000"));
        using (var log = Open(config))
        {
            for (var i = 0; i < 60; i++)
            {
                // The first 30 records are two hours old, the rest are new.
                var timestamp = i < 30 ? Start - 7_200_000 : Start;
                log.AppendFromProducer(TestBatches.Build([($"k{i}", $"v{i}")], -1, -1, -1, false, timestamp));
            }

            var files = Directory.GetFiles(_dir).Length;
            log.ApplyRetention(config, Start).ShouldBeGreaterThan(0);
            log.LogStartOffset.ShouldBeGreaterThan(0);
            log.LogStartOffset.ShouldBeLessThanOrEqualTo(30);
            log.Segments[0].BaseOffset.ShouldBe(log.LogStartOffset);
            log.Read(0, int.MaxValue, false).Error.ShouldBe(ErrorCode.OffsetOutOfRange);
            TestBatches.Decode(log.Read(log.LogStartOffset, int.MaxValue, false).Batches).Last().Value.ShouldBe("v59");
            Directory.GetFiles(_dir).Length.ShouldBeLessThan(files);
            Directory.GetFiles(_dir, "*.log").Length.ShouldBe(log.SegmentCount);
            Directory.GetFiles(_dir, "*.index").Length.ShouldBe(log.SegmentCount);
        }

        using var reopened = Open(config);
        reopened.LogStartOffset.ShouldBe(reopened.Segments[0].BaseOffset);
        reopened.HighWatermark.ShouldBe(60);
    }

    [Fact]
    public void ReadCommitted_TransactionsAcrossSegments_SkipOnlyTheAbortedRecords_AlsoAfterRestart()
    {
        var config = Config(("segment.bytes", "600"), ("index.interval.bytes", "200"));
        using (var log = Open(config))
        {
            for (var round = 0; round < 6; round++)
            {
                // Producer 9's transaction interleaves with producer 11's and spans several segments; odd rounds abort it.
                for (var i = 0; i < 4; i++)
                {
                    log.AppendFromProducer(TestBatches.Transactional(9, 0, (round * 4) + i)).Error.ShouldBe(ErrorCode.None);
                    log.AppendFromProducer(TestBatches.Transactional(11, 0, (round * 4) + i)).Error.ShouldBe(ErrorCode.None);
                }

                log.AppendControlMarker(9, 0, commit: round % 2 == 0, coordinatorEpoch: 0);
                log.AppendControlMarker(11, 0, commit: true, coordinatorEpoch: 0);
            }

            log.SegmentCount.ShouldBeGreaterThan(5);
            VisibleProducers(log).ShouldBe(Expected());
        }

        using var reopened = Open(config);
        VisibleProducers(reopened).ShouldBe(Expected());

        static List<long> Expected() =>
            Enumerable.Range(0, 6).SelectMany(round => Enumerable.Range(0, 4).SelectMany(_ => round % 2 == 0 ? new long[] { 9, 11 } : [11])).ToList();
    }

    // What a read_committed consumer sees, fetching in small steps: data batches minus the aborted ranges.
    private static List<long> VisibleProducers(PartitionLog log)
    {
        var visible = new List<long>();
        var offset = 0L;
        while (offset < log.LastStableOffset)
        {
            var slice = log.Read(offset, 150, readCommitted: true);
            slice.Error.ShouldBe(ErrorCode.None);
            foreach (var batch in slice.Batches)
            {
                var aborted = slice.AbortedTransactions!.Any(a => a.ProducerId == batch.ProducerId && batch.BaseOffset >= a.FirstOffset && batch.BaseOffset < a.LastOffset);
                if (!batch.IsControl && !aborted)
                {
                    visible.Add(batch.ProducerId);
                }
            }

            offset = slice.Batches[^1].LastOffset + 1;
        }

        return visible;
    }

    [Fact]
    public void OffsetForTimestamp_ManySegments_MatchesAFullScan_AlsoAfterRestart()
    {
        var config = Config(("segment.bytes", "3000"), ("index.interval.bytes", "300"));
        using (var log = Open(config))
        {
            for (var i = 0; i < 400; i++)
            {
                log.AppendFromProducer(TestBatches.Build([($"k{i}", $"v{i}")], -1, -1, -1, false, Start + (i * 10)));
            }

            log.Segments.ShouldAllBe(s => s.TimeIndexEntries > 1);
            Check(log);
        }

        using var reopened = Open(config);
        Check(reopened);
        reopened.MaxTimestampOffset().ShouldBe((399L, Start + 3990));

        static void Check(PartitionLog log)
        {
            foreach (var target in new[] { Start - 5, Start, Start + 5, Start + 1234, Start + 2000, Start + 3990 })
            {
                var expected = (long)Math.Ceiling((target - Start) / 10.0);
                expected = Math.Max(0, expected);
                log.OffsetForTimestamp(target, log.HighWatermark).ShouldBe((expected, Start + (expected * 10)));
            }

            log.OffsetForTimestamp(Start + 4000, log.HighWatermark).ShouldBeNull();
        }
    }
}

using Microsoft.Extensions.Time.Testing;
using StreamMasking.Broker.Storage;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Tests.Storage;

public sealed class PartitionLogPersistenceTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"sm-log-{Guid.NewGuid():N}");

    private PartitionLog Open(TopicConfig? config = null)
    {
        config ??= new TopicConfig();
        var log = new PartitionLog("t", 0, _dir, () => config, _time, () => { });
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

    [Fact]
    public void Recover_AfterReopen_KeepsBatchesOffsetsAndProducerState()
    {
        using (var log = Open())
        {
            log.AppendFromProducer(TestBatches.Idempotent(7, 0, 0, 2));
            log.AppendFromProducer(TestBatches.Transactional(9, 0, 0));
            log.AppendControlMarker(9, 0, commit: false, coordinatorEpoch: 0);
            log.AppendFromProducer(TestBatches.Transactional(11, 0, 0));
        }

        using var reopened = Open();
        reopened.HighWatermark.ShouldBe(5);
        reopened.LastStableOffset.ShouldBe(4);
        reopened.HasOpenTransaction(11).ShouldBeTrue();
        reopened.Read(0, int.MaxValue, true).AbortedTransactions!.ShouldHaveSingleItem().ProducerId.ShouldBe(9);

        // Producer state survived: the retried batch is recognised as a duplicate.
        reopened.AppendFromProducer(TestBatches.Idempotent(7, 0, 0, 2)).BaseOffset.ShouldBe(0);
        reopened.HighWatermark.ShouldBe(5);
    }

    [Fact]
    public void Recover_TornTail_IsTruncatedAndAppendsContinue()
    {
        using (var log = Open())
        {
            log.AppendFromProducer(TestBatches.Plain(("a", "1")));
            log.AppendFromProducer(TestBatches.Plain(("b", "2")));
        }

        var file = Directory.GetFiles(_dir, "*.log").Single();
        var length = new FileInfo(file).Length;
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(length - 5);
        }

        using var reopened = new PartitionLog("t", 0, _dir, () => new TopicConfig(), _time, () => { });
        reopened.Recover().ShouldBeGreaterThan(0);
        reopened.HighWatermark.ShouldBe(1);
        reopened.AppendFromProducer(TestBatches.Plain(("c", "3"))).BaseOffset.ShouldBe(1);
        TestBatches.Decode(reopened.Read(0, int.MaxValue, false).Batches).Select(r => r.Value).ShouldBe(["1", "3"]);
    }

    [Fact]
    public void Compact_ClosedSegments_KeepLatestValuePerKey()
    {
        var config = new TopicConfig(new Dictionary<string, string> { ["cleanup.policy"] = "compact", ["segment.bytes"] = "200", ["delete.retention.ms"] = "1000" });
        using var log = Open(config);
        for (var i = 0; i < 20; i++)
        {
            log.AppendFromProducer(TestBatches.Plain(($"k{i % 3}", $"v{i}")));
        }

        log.AppendFromProducer(TestBatches.Plain(("k0", null)));
        log.AppendFromProducer(TestBatches.Plain(("k9", "last")));
        log.SegmentCount.ShouldBeGreaterThan(2);
        log.Compact(config, _time.GetUtcNow().ToUnixTimeMilliseconds()).ShouldBeGreaterThan(0);

        var records = TestBatches.Decode(log.Read(0, int.MaxValue, false).Batches).ToList();
        // k0's latest record is the tombstone in the active segment, which compaction never touches.
        records.Where(r => r.Key == "k0").ShouldBe([(20L, "k0", (string?)null)]);
        records.Count(r => r.Key == "k1").ShouldBe(1);
        records.Count(r => r.Key == "k2").ShouldBe(1);
        records.Single(r => r.Key == "k1").Value.ShouldBe("v19");
        records.Single(r => r.Key == "k2").Value.ShouldBe("v17");
        log.HighWatermark.ShouldBe(22);

        // Offsets are preserved and the data survives a reopen.
        log.Dispose();
        using var reopened = Open(config);
        TestBatches.Decode(reopened.Read(0, int.MaxValue, false).Batches).ShouldBe(records);
    }

    [Fact]
    public void ApplyRetention_Bytes_DeletesOldestClosedSegmentsOnly()
    {
        var config = new TopicConfig(new Dictionary<string, string> { ["segment.bytes"] = "150", ["retention.bytes"] = "300" });
        using var log = Open(config);
        for (var i = 0; i < 20; i++)
        {
            log.AppendFromProducer(TestBatches.Plain(($"k{i}", $"v{i}")));
        }

        log.ApplyRetention(config, _time.GetUtcNow().ToUnixTimeMilliseconds()).ShouldBeGreaterThan(0);
        log.LogStartOffset.ShouldBeGreaterThan(0);
        log.HighWatermark.ShouldBe(20);
        log.SizeInBytes.ShouldBeLessThanOrEqualTo(300 + 150);
        TestBatches.Decode(log.Read(log.LogStartOffset, int.MaxValue, false).Batches).Last().Value.ShouldBe("v19");
    }

    [Fact]
    public void ApplyRetention_Unbounded_DeletesNothing()
    {
        var config = new TopicConfig(new Dictionary<string, string> { ["segment.bytes"] = "100" });
        using var log = Open(config);
        for (var i = 0; i < 10; i++)
        {
            log.AppendFromProducer(TestBatches.Plain(($"k{i}", $"v{i}")));
        }

        _time.Advance(TimeSpan.FromDays(365));
        log.ApplyRetention(config, _time.GetUtcNow().ToUnixTimeMilliseconds()).ShouldBe(0);
        log.LogStartOffset.ShouldBe(0);
    }
}

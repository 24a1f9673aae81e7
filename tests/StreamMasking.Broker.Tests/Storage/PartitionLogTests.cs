using Microsoft.Extensions.Time.Testing;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Records;
using StreamMasking.Broker.Storage;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Tests.Storage;

public sealed class PartitionLogTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
    private int _changes;

    private PartitionLog NewLog(TopicConfig? config = null, string? directory = null)
    {
        config ??= new TopicConfig();
        return new PartitionLog("t", 0, directory, () => config, _time, () => _changes++);
    }

    [Fact]
    public void AppendFromProducer_TwoBatches_AssignsConsecutiveOffsets()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Plain(("a", "1"), ("b", "2"))).BaseOffset.ShouldBe(0);
        log.AppendFromProducer(TestBatches.Plain(("c", "3"))).BaseOffset.ShouldBe(2);
        log.HighWatermark.ShouldBe(3);
        log.LastStableOffset.ShouldBe(3);
        _changes.ShouldBe(2);
        TestBatches.Decode(log.Read(0, int.MaxValue, false).Batches).Select(r => r.Offset).ShouldBe([0L, 1, 2]);
    }

    [Fact]
    public void AppendFromProducer_CorruptCrc_IsRejected()
    {
        using var log = NewLog();
        var batch = TestBatches.Plain(("a", "1"));
        batch[^1] ^= 0xFF;
        log.AppendFromProducer(batch).Error.ShouldBe(ErrorCode.CorruptMessage);
        log.HighWatermark.ShouldBe(0);
    }

    [Fact]
    public void AppendFromProducer_OldMagic_IsUnsupportedForMessageFormat()
    {
        using var log = NewLog();
        var batch = TestBatches.Plain(("a", "1"));
        batch[RecordBatchHeader.Magic] = 1;
        log.AppendFromProducer(batch).Error.ShouldBe(ErrorCode.UnsupportedForMessageFormat);
    }

    [Fact]
    public void AppendFromProducer_RetriedBatch_ReturnsOriginalOffsetWithoutAppending()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Idempotent(7, 0, 0, 2)).BaseOffset.ShouldBe(0);
        log.AppendFromProducer(TestBatches.Idempotent(7, 0, 2, 3)).BaseOffset.ShouldBe(2);
        var retry = log.AppendFromProducer(TestBatches.Idempotent(7, 0, 0, 2));
        retry.Error.ShouldBe(ErrorCode.None);
        retry.BaseOffset.ShouldBe(0);
        log.HighWatermark.ShouldBe(5);
    }

    [Fact]
    public void AppendFromProducer_SequenceGap_IsOutOfOrder()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Idempotent(7, 0, 0)).Error.ShouldBe(ErrorCode.None);
        log.AppendFromProducer(TestBatches.Idempotent(7, 0, 2)).Error.ShouldBe(ErrorCode.OutOfOrderSequenceNumber);
        log.HighWatermark.ShouldBe(1);
    }

    [Fact]
    public void AppendFromProducer_OlderEpoch_IsFenced()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Idempotent(7, 1, 0)).Error.ShouldBe(ErrorCode.None);
        log.AppendFromProducer(TestBatches.Idempotent(7, 0, 1)).Error.ShouldBe(ErrorCode.InvalidProducerEpoch);
    }

    [Fact]
    public void AppendFromProducer_BumpedEpochNotAtZero_IsOutOfOrder()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Idempotent(7, 0, 0)).Error.ShouldBe(ErrorCode.None);
        log.AppendFromProducer(TestBatches.Idempotent(7, 1, 5)).Error.ShouldBe(ErrorCode.OutOfOrderSequenceNumber);
        log.AppendFromProducer(TestBatches.Idempotent(7, 1, 0)).Error.ShouldBe(ErrorCode.None);
    }

    [Fact]
    public void OpenTransaction_BlocksLastStableOffset_UntilCommit()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Plain(("a", "1")));
        log.AppendFromProducer(TestBatches.Transactional(9, 0, 0, 2));
        log.AppendFromProducer(TestBatches.Plain(("b", "2")));
        log.FirstUnstableOffset.ShouldBe(1);
        log.LastStableOffset.ShouldBe(1);
        log.Read(0, int.MaxValue, readCommitted: true).Batches.Count.ShouldBe(1);
        log.Read(0, int.MaxValue, readCommitted: false).Batches.Count.ShouldBe(3);

        log.AppendControlMarker(9, 0, commit: true, coordinatorEpoch: 0).Error.ShouldBe(ErrorCode.None);
        log.LastStableOffset.ShouldBe(5);
        log.HasOpenTransaction(9).ShouldBeFalse();
        var slice = log.Read(0, int.MaxValue, readCommitted: true);
        slice.Batches.Count.ShouldBe(4);
        slice.AbortedTransactions.ShouldBeEmpty();
    }

    [Fact]
    public void AbortMarker_IndexesAbortedTransaction_ForReadCommittedFetch()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Transactional(9, 0, 0, 2));
        log.AppendControlMarker(9, 0, commit: false, coordinatorEpoch: 0);
        var slice = log.Read(0, int.MaxValue, readCommitted: true);
        slice.AbortedTransactions!.ShouldHaveSingleItem().ShouldBe(new AbortedTransaction(9, 0, 2));
        log.Read(3, int.MaxValue, readCommitted: true).AbortedTransactions.ShouldBeEmpty();
    }

    [Fact]
    public void AppendControlMarker_BumpedEpoch_FencesOlderEpochProduce()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Transactional(9, 0, 0));
        log.AppendControlMarker(9, 1, commit: false, coordinatorEpoch: 0).Error.ShouldBe(ErrorCode.None);
        log.AppendFromProducer(TestBatches.Transactional(9, 0, 1)).Error.ShouldBe(ErrorCode.InvalidProducerEpoch);
        log.AppendControlMarker(9, 0, commit: true, coordinatorEpoch: 0).Error.ShouldBe(ErrorCode.InvalidProducerEpoch);
        log.AppendFromProducer(TestBatches.Transactional(9, 1, 0)).Error.ShouldBe(ErrorCode.None);
    }

    [Fact]
    public void Read_SmallMaxBytes_StillReturnsOneWholeBatch()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Plain(("a", new string('x', 500))));
        log.AppendFromProducer(TestBatches.Plain(("b", "2")));
        log.Read(0, 10, false).Batches.Count.ShouldBe(1);
    }

    [Fact]
    public void Read_NotFirstPartition_StaysWithinMaxBytes()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Plain(("a", new string('x', 500))));
        log.Read(0, 10, false, minOneBatch: false).Batches.ShouldBeEmpty();
        log.Read(0, 10_000, false, minOneBatch: false).Batches.Count.ShouldBe(1);
    }

    [Fact]
    public void Read_BeyondHighWatermark_IsOffsetOutOfRange()
    {
        using var log = NewLog();
        log.Read(1, 100, false).Error.ShouldBe(ErrorCode.OffsetOutOfRange);
        log.Read(0, 100, false).Error.ShouldBe(ErrorCode.None);
    }

    [Fact]
    public void OffsetForTimestamp_FindsFirstRecordAtOrAfter()
    {
        using var log = NewLog();
        log.AppendFromProducer(TestBatches.Build([("a", "1")], -1, -1, -1, false, timestamp: 1000));
        log.AppendFromProducer(TestBatches.Build([("b", "2")], -1, -1, -1, false, timestamp: 2000));
        log.OffsetForTimestamp(1500, log.HighWatermark).ShouldBe((1L, 2000L));
        log.OffsetForTimestamp(3000, log.HighWatermark).ShouldBeNull();
    }
}

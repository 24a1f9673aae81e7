using Confluent.Kafka;
using StreamMasking.Testing.Kafka;

namespace StreamMasking.Runtime.Tests.Processing;

/// <summary>
/// The transactional loop across rebalances against the fake clients (no broker): a revoked partition's open
/// batch is committed while the partition is still ours, a lost partition's is aborted without a commit, and the
/// processor's state of the partition is released after that.
/// </summary>
public sealed class TransactionalLoopRebalanceTests
{
    private static readonly TopicPartition In0 = new(LoopHarness.InputTopic, 0);
    private static readonly TopicPartition In1 = new(LoopHarness.InputTopic, 1);

    [Fact]
    public async Task Revoked_MidBatch_CommitsTheBatchThenReleasesThePartition()
    {
        using var loop = new LoopHarness(batchMaxRecords: 100);
        loop.Feed(0, "a", "b");
        loop.Start();
        loop.WaitForSeen(2);

        loop.Consumer.RebalanceRevoke(In0);
        loop.WaitUntil(() => loop.Consumer.Rebalances.Any(r => r.Kind == FakeRebalanceKind.Revoked), "revocation applied");
        loop.Feed(0, "c");
        await loop.StopAsync();

        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Committed]);
        loop.CommittedValues.ShouldBe(["a", "b"]);
        loop.Broker.Transactions[0].Offsets.ShouldBe([new TopicPartitionOffset(In0, 2)]);
        loop.Broker.CommittedOffset(LoopHarness.GroupId, In0).Value.ShouldBe(2);
        // The commit comes before the processor hears of the revocation, so it releases only committed state.
        loop.Processor.Events.ShouldBe(["assigned in[0]", "committed", "revoked in[0]"]);
        // No longer assigned: what arrives afterwards is left to the partition's next owner.
        loop.Processor.Seen.ShouldBe(["0@0:a", "0@1:b"]);
        loop.Consumer.Assignment.ShouldBeEmpty();
        loop.Producer.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Revoked_CommitNeedsAbort_AbortsTheBatchThenReleasesThePartition()
    {
        using var loop = new LoopHarness(batchMaxRecords: 100);
        loop.Clients.Failures.Fail(nameof(IProducer<byte[], byte[]>.CommitTransaction), onCall: 1,
            KafkaFailures.Abortable(ErrorCode.InvalidTxnState));
        loop.Feed(0, "a", "b");
        loop.Start();
        loop.WaitForSeen(2);

        loop.Consumer.RebalanceRevoke(In0);
        loop.WaitUntil(() => loop.Consumer.Rebalances.Any(r => r.Kind == FakeRebalanceKind.Revoked), "revocation applied");
        await loop.StopAsync();

        // The next owner starts from the last committed offset (none: the earliest) and redoes the batch.
        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Aborted]);
        loop.Broker.CommittedOutputs.ShouldBeEmpty();
        loop.Broker.CommittedOffset(LoopHarness.GroupId, In0).ShouldBe(Offset.Unset);
        loop.Processor.Events.ShouldBe(["assigned in[0]", "aborted", "revoked in[0]"]);
        loop.Consumer.Assignment.ShouldBeEmpty();
        loop.Producer.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Revoked_OnePartitionOfTwo_CommitsBothAndKeepsConsumingTheOther()
    {
        using var loop = new LoopHarness(batchMaxRecords: 100, partitions: 2);
        loop.Feed(0, "a");
        loop.Feed(1, "x");
        loop.Start();
        loop.WaitForSeen(2);

        loop.Consumer.RebalanceRevoke(In0);
        loop.WaitUntil(() => loop.Consumer.Rebalances.Any(r => r.Kind == FakeRebalanceKind.Revoked), "revocation applied");
        loop.Feed(1, "y");
        loop.WaitForSeen(3);
        await loop.StopAsync();

        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Committed, FakeTransactionOutcome.Committed]);
        loop.Broker.Transactions[0].Offsets.OrderBy(o => o.Partition.Value).ShouldBe(
            [new TopicPartitionOffset(In0, 1), new TopicPartitionOffset(In1, 1)]);
        loop.Broker.Transactions[1].Offsets.ShouldBe([new TopicPartitionOffset(In1, 2)]);
        loop.CommittedValues.Order(StringComparer.Ordinal).ShouldBe(["a", "x", "y"]);
        loop.Processor.Events.Take(3).ShouldBe(["assigned in[0],in[1]", "committed", "revoked in[0]"]);
    }

    [Fact]
    public async Task Lost_MidBatch_AbortsWithoutCommittingAndRereadsOnReassignment()
    {
        using var loop = new LoopHarness(batchMaxRecords: 100);
        loop.Feed(0, "a", "b");
        loop.Start();
        loop.WaitForSeen(2);

        loop.Consumer.RebalanceLose(In0);
        loop.WaitUntil(() => loop.Consumer.Rebalances.Any(r => r.Kind == FakeRebalanceKind.Lost), "loss applied");

        // Another member may own the partition now: nothing of the batch may be committed.
        loop.Clients.Failures.Calls(nameof(IProducer<byte[], byte[]>.SendOffsetsToTransaction)).ShouldBe(0);
        loop.Clients.Failures.Calls(nameof(IProducer<byte[], byte[]>.CommitTransaction)).ShouldBe(0);
        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Aborted]);
        loop.Broker.Transactions[0].Outputs.Select(o => o.ValueText).ShouldBe(["a", "b"]);
        loop.Broker.CommittedOffset(LoopHarness.GroupId, In0).ShouldBe(Offset.Unset);
        loop.Processor.Events.ShouldBe(["assigned in[0]", "aborted", "lost in[0]"]);
        // Not rewound: the partition is not ours to seek any more.
        loop.Clients.Failures.Calls(nameof(IConsumer<byte[], byte[]>.Seek)).ShouldBe(0);

        loop.Consumer.RebalanceAssign(In0);
        loop.WaitForSeen(4);
        await loop.StopAsync();

        // Assigned again, reading starts at the committed offset (none: the earliest).
        loop.Processor.Seen.ShouldBe(["0@0:a", "0@1:b", "0@0:a", "0@1:b"]);
        loop.CommittedValues.ShouldBe(["a", "b"]);
        loop.Broker.CommittedOffset(LoopHarness.GroupId, In0).Value.ShouldBe(2);
        loop.Producer.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Stop_WithAnOpenBatch_CommitsIt()
    {
        using var loop = new LoopHarness(batchMaxRecords: 100);
        loop.Feed(0, "a", "b");
        loop.Start();
        loop.WaitForSeen(2);

        await loop.StopAsync();

        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Committed]);
        loop.CommittedValues.ShouldBe(["a", "b"]);
        loop.Broker.CommittedOffset(LoopHarness.GroupId, In0).Value.ShouldBe(2);
        loop.Consumer.IsClosed.ShouldBeTrue();
        loop.Producer.IsDisposed.ShouldBeTrue();
    }

    [Fact]
    public async Task Commit_TimerTransactionWithNothingConsumed_ResendsTheCommittedOffsetToBeFenced()
    {
        var timer = new TimerProcessor();
        using var loop = new LoopHarness(batchMaxRecords: 100, processor: timer);
        loop.Feed(0, "a", "b", "c");
        loop.Broker.CommitOffset(LoopHarness.GroupId, new TopicPartitionOffset(In0, 3));
        loop.Start();
        loop.WaitUntil(() => loop.Consumer.Assignment.Count == 1, "partition assigned");

        timer.MakeDue();
        // The punctuation's output is sent after the transaction's start time is taken: only then may time move.
        loop.WaitUntil(() => loop.Clients.Producers.Single().Produced.Count == 1, "punctuation sent its record");
        loop.Time.Advance(loop.Settings.BatchMaxInterval);
        loop.WaitForCommittedOutputs(1);
        await loop.StopAsync();

        loop.CommittedValues.ShouldBe(["release"]);
        // Unchanged offsets, sent only so that the group coordinator checks this member's generation.
        loop.Broker.Transactions.Single().Offsets.ShouldBe([new TopicPartitionOffset(In0, 3)]);
        loop.Broker.CommittedOffset(LoopHarness.GroupId, In0).Value.ShouldBe(3);
    }
}

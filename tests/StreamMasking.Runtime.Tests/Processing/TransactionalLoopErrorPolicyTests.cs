using Confluent.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Testing.Kafka;

namespace StreamMasking.Runtime.Tests.Processing;

/// <summary>
/// The transactional loop's Kafka error policy against the fake clients (no broker): retriable calls are retried,
/// abortable ones abort and redo the batch from the committed position, fenced and fatal ones stop the stage.
/// </summary>
public sealed class TransactionalLoopErrorPolicyTests
{
    private static readonly TopicPartition In0 = new(LoopHarness.InputTopic, 0);

    [Fact]
    public async Task Commit_RetriableError_RetriedAndCommittedOnce()
    {
        using var loop = new LoopHarness(batchMaxRecords: 3);
        loop.Clients.Failures.Fail(nameof(IProducer<byte[], byte[]>.CommitTransaction), onCall: 1,
            KafkaFailures.Retriable(ErrorCode.RequestTimedOut));
        loop.Feed(0, "a", "b", "c");
        loop.Start();

        loop.WaitForCommittedOutputs(3);
        await loop.StopAsync();

        loop.Clients.Failures.Calls(nameof(IProducer<byte[], byte[]>.CommitTransaction)).ShouldBe(2);
        loop.Clients.Failures.Calls(nameof(IProducer<byte[], byte[]>.AbortTransaction)).ShouldBe(0);
        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Committed]);
        loop.CommittedValues.ShouldBe(["a", "b", "c"]);
        loop.Processor.Seen.ShouldBe(["0@0:a", "0@1:b", "0@2:c"]);
        loop.Broker.CommittedOffset(LoopHarness.GroupId, In0).Value.ShouldBe(3);
        loop.Producer.Violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Commit_RetriableErrorOnEveryAttempt_AbortsAndRedoesTheBatch()
    {
        using var loop = new LoopHarness(batchMaxRecords: 2);
        // The loop gives up retrying after 10 attempts of one call; the 11th call (the redone batch) succeeds.
        loop.Clients.Failures.Fail(nameof(IProducer<byte[], byte[]>.CommitTransaction), onCall: 1,
            KafkaFailures.Retriable(ErrorCode.RequestTimedOut), times: 10);
        loop.Feed(0, "a", "b");
        loop.Start();

        loop.WaitForCommittedOutputs(2);
        await loop.StopAsync();

        loop.Clients.Failures.Calls(nameof(IProducer<byte[], byte[]>.CommitTransaction)).ShouldBe(11);
        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Aborted, FakeTransactionOutcome.Committed]);
        loop.CommittedValues.ShouldBe(["a", "b"]);
        loop.Processor.Seen.ShouldBe(["0@0:a", "0@1:b", "0@0:a", "0@1:b"]);
        loop.Producer.Violations.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(nameof(IProducer<byte[], byte[]>.CommitTransaction))]
    [InlineData(nameof(IProducer<byte[], byte[]>.SendOffsetsToTransaction))]
    public async Task Commit_AbortableError_AbortsAndReprocessesFromTheCommittedPosition(string failing)
    {
        using var loop = new LoopHarness(batchMaxRecords: 3);
        // The first batch commits; the second one's commit needs an abort.
        loop.Clients.Failures.Fail(failing, onCall: 2, KafkaFailures.Abortable(ErrorCode.InvalidTxnState));
        loop.Feed(0, "a", "b", "c", "d", "e", "f");
        loop.Start();

        loop.WaitForCommittedOutputs(6);
        await loop.StopAsync();

        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Committed, FakeTransactionOutcome.Aborted, FakeTransactionOutcome.Committed]);
        loop.Broker.Transactions[1].Outputs.Select(o => o.ValueText).ShouldBe(["d", "e", "f"]);
        // Rewound to the first offset of the aborted transaction, which is the committed position.
        loop.Processor.Seen.ShouldBe(["0@0:a", "0@1:b", "0@2:c", "0@3:d", "0@4:e", "0@5:f", "0@3:d", "0@4:e", "0@5:f"]);
        loop.CommittedValues.ShouldBe(["a", "b", "c", "d", "e", "f"]);
        loop.Broker.Transactions[2].Offsets.ShouldBe([new TopicPartitionOffset(In0, 6)]);
        loop.Processor.Events.ShouldBe(["assigned in[0]", "committed", "aborted", "committed", "revoked in[0]"]);
        loop.Producer.Violations.ShouldBeEmpty();
    }

    // The calls made ("!" for a failed one): after the fencing, only the best-effort abort of an open transaction,
    // which a fenced producer refuses too.
    [Theory]
    [InlineData(nameof(IProducer<byte[], byte[]>.BeginTransaction), "InitTransactions,BeginTransaction!")]
    [InlineData(nameof(IProducer<byte[], byte[]>.Produce), "InitTransactions,BeginTransaction,Produce!,AbortTransaction!")]
    [InlineData(nameof(IProducer<byte[], byte[]>.SendOffsetsToTransaction),
        "InitTransactions,BeginTransaction,Produce,Produce,SendOffsetsToTransaction!,AbortTransaction!")]
    [InlineData(nameof(IProducer<byte[], byte[]>.CommitTransaction),
        "InitTransactions,BeginTransaction,Produce,Produce,SendOffsetsToTransaction,CommitTransaction!,AbortTransaction!")]
    public async Task AnyCall_Fenced_StopsAsFencedWithoutCommittingOrReinitialising(string failing, string calls)
    {
        using var loop = new LoopHarness(batchMaxRecords: 2);
        loop.Clients.Failures.Fail(failing, onCall: 1, KafkaFailures.Fatal(ErrorCode.Local_Fenced));
        loop.Feed(0, "a", "b");
        loop.Start();

        var stopped = await Should.ThrowAsync<StageStoppedException>(loop.Run.WaitAsync(LoopHarness.Patience));

        stopped.Fenced.ShouldBeTrue();
        stopped.Message.ShouldContain(failing);
        loop.Broker.CommittedOutputs.ShouldBeEmpty();
        loop.Broker.CommittedOffset(LoopHarness.GroupId, In0).ShouldBe(Offset.Unset);
        // The loop does not re-initialise: it stops, and the pipeline stops every other loop with it.
        string.Join(',', loop.Producer.Calls).ShouldBe(calls);
        loop.Clients.Producers.Count.ShouldBe(1);
        loop.Consumer.IsClosed.ShouldBeTrue();
        loop.Producer.IsDisposed.ShouldBeTrue();
    }

    [Fact]
    public async Task InitTransactions_Fenced_StopsBeforeConsuming()
    {
        using var loop = new LoopHarness(batchMaxRecords: 2);
        loop.Clients.Failures.Fail(nameof(IProducer<byte[], byte[]>.InitTransactions), onCall: 1,
            KafkaFailures.Fatal(ErrorCode.ProducerFenced));
        loop.Feed(0, "a");
        loop.Start();

        var stopped = await Should.ThrowAsync<StageStoppedException>(loop.Run.WaitAsync(LoopHarness.Patience));

        stopped.Fenced.ShouldBeTrue();
        loop.Clients.Consumers.ShouldBeEmpty();
        loop.Processor.Seen.ShouldBeEmpty();
        loop.Producer.IsDisposed.ShouldBeTrue();
    }

    [Theory]
    [InlineData(nameof(IProducer<byte[], byte[]>.Produce), ErrorCode.Local_Fatal, true)]
    [InlineData(nameof(IProducer<byte[], byte[]>.CommitTransaction), ErrorCode.Local_Fatal, true)]
    // A record over the size limit fails the same way on every retry: the stage stops instead of looping.
    [InlineData(nameof(IProducer<byte[], byte[]>.Produce), ErrorCode.MsgSizeTooLarge, false)]
    public async Task AnyCall_FatalError_StopsWithTheErrorSurfaced(string failing, ErrorCode code, bool flaggedFatal)
    {
        using var loop = new LoopHarness(batchMaxRecords: 2);
        loop.Clients.Failures.Fail(failing, onCall: 1, flaggedFatal ? KafkaFailures.Fatal(code) : KafkaFailures.Plain(code));
        loop.Feed(0, "a", "b");
        loop.Start();

        var stopped = await Should.ThrowAsync<StageStoppedException>(loop.Run.WaitAsync(LoopHarness.Patience));

        stopped.Fenced.ShouldBeFalse();
        stopped.InnerException.ShouldBeAssignableTo<KafkaException>()!.Error.Code.ShouldBe(code);
        stopped.Message.ShouldContain(code.ToString());
        loop.Broker.CommittedOutputs.ShouldBeEmpty();
        loop.Broker.CommittedOffset(LoopHarness.GroupId, In0).ShouldBe(Offset.Unset);
        loop.Consumer.IsClosed.ShouldBeTrue();
    }

    [Fact]
    public async Task Consume_FatalError_StopsWithTheErrorSurfaced()
    {
        using var loop = new LoopHarness(batchMaxRecords: 2);
        loop.Clients.Failures.Fail(nameof(IConsumer<byte[], byte[]>.Consume), onCall: 1,
            KafkaFailures.Consume(ErrorCode.Local_Fatal, fatal: true));
        loop.Feed(0, "a");
        loop.Start();

        var stopped = await Should.ThrowAsync<StageStoppedException>(loop.Run.WaitAsync(LoopHarness.Patience));

        stopped.Fenced.ShouldBeFalse();
        stopped.InnerException.ShouldBeAssignableTo<KafkaException>()!.Error.Code.ShouldBe(ErrorCode.Local_Fatal);
        loop.Processor.Seen.ShouldBeEmpty();
    }

    [Fact]
    public async Task Consume_NonFatalError_LoggedAndConsumingContinues()
    {
        using var loop = new LoopHarness(batchMaxRecords: 1);
        loop.Clients.Failures.Fail(nameof(IConsumer<byte[], byte[]>.Consume), onCall: 1,
            KafkaFailures.Consume(ErrorCode.Local_Transport), times: 3);
        loop.Feed(0, "a");
        loop.Start();

        loop.WaitForCommittedOutputs(1);
        await loop.StopAsync();

        loop.CommittedValues.ShouldBe(["a"]);
        loop.Clients.Failures.Calls(nameof(IConsumer<byte[], byte[]>.Consume)).ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task Produce_QueueFull_BacksOffAndSendsOnce()
    {
        using var loop = new LoopHarness(batchMaxRecords: 1);
        loop.Clients.Failures.Fail(nameof(IProducer<byte[], byte[]>.Produce), onCall: 1, KafkaFailures.QueueFull(), times: 2);
        loop.Feed(0, "a");
        loop.Start();

        loop.WaitForCommittedOutputs(1);
        await loop.StopAsync();

        loop.Clients.Failures.Calls(nameof(IProducer<byte[], byte[]>.Produce)).ShouldBe(3);
        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Committed]);
        loop.CommittedValues.ShouldBe(["a"]);
    }

    [Fact]
    public async Task Process_ProcessorThrows_AbortsAndReprocessesTheBatch()
    {
        using var loop = new LoopHarness(batchMaxRecords: 3);
        loop.Processor.FailOnValue = "b";
        loop.Feed(0, "a", "b", "c");
        loop.Start();

        loop.WaitForCommittedOutputs(3);
        await loop.StopAsync();

        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Aborted, FakeTransactionOutcome.Committed]);
        loop.Processor.Seen.ShouldBe(["0@0:a", "0@1:b", "0@0:a", "0@1:b", "0@2:c"]);
        loop.CommittedValues.ShouldBe(["a", "b", "c"]);
    }
}

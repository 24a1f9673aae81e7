using Confluent.Kafka;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Testing.Kafka;

namespace StreamMasking.Runtime.Tests.Kafka;

/// <summary>
/// The fake clients the loop's unit tests stand on behave like the real ones where those tests rely on it:
/// transactions, committed offsets, the transactional state machine, sticky errors and rebalances.
/// </summary>
public sealed class FakeKafkaClientFactoryTests
{
    private static readonly TopicPartition In0 = new("in", 0);

    private readonly FakeKafkaClientFactory _fake = new();

    private IKafkaClientFactory Clients => _fake;

    [Fact]
    public void CommitTransaction_AfterSendOffsets_MakesOutputsVisibleAndCommitsOffsets()
    {
        using var producer = Transactional();
        using var consumer = Clients.CreateConsumer("g", null, "c", _ => { });

        producer.BeginTransaction();
        producer.Produce("out", Message("aborted"));
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(In0, 5)], consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(1));
        producer.AbortTransaction(TimeSpan.FromSeconds(1));
        _fake.Broker.CommittedOffset("g", In0).ShouldBe(Offset.Unset);

        producer.BeginTransaction();
        producer.Produce("out", Message("committed"));
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(In0, 7)], consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(1));
        producer.CommitTransaction(TimeSpan.FromSeconds(1));

        _fake.Broker.CommittedOutputs.Select(o => o.ValueText).ShouldBe(["committed"]);
        _fake.Broker.CommittedOffset("g", In0).Value.ShouldBe(7);
        _fake.Broker.Transactions.Select(t => t.Outcome).ShouldBe([FakeTransactionOutcome.Aborted, FakeTransactionOutcome.Committed]);
    }

    [Fact]
    public void TransactionalCalls_OutOfOrder_FailWithLocalStateAndAreListed()
    {
        using var producer = Transactional(init: false);

        Should.Throw<KafkaException>(() => producer.BeginTransaction()).Error.Code.ShouldBe(ErrorCode.Local_State);
        producer.InitTransactions(TimeSpan.FromSeconds(1));
        Should.Throw<KafkaException>(() => producer.Produce("out", Message("x"))).Error.Code.ShouldBe(ErrorCode.Local_State);
        Should.Throw<KafkaException>(() => producer.CommitTransaction(TimeSpan.FromSeconds(1)));

        _fake.Producers.Single().Violations.Count.ShouldBe(3);
    }

    [Fact]
    public void FailureScript_FailsTheNthCallOnly()
    {
        _fake.Failures.Fail(nameof(IProducer<byte[], byte[]>.Produce), onCall: 2, KafkaFailures.Plain(ErrorCode.Local_Transport));
        using var producer = Clients.CreateProducer("p");

        producer.Produce("out", Message("1"));
        Should.Throw<KafkaException>(() => producer.Produce("out", Message("2"))).Error.Code.ShouldBe(ErrorCode.Local_Transport);
        producer.Produce("out", Message("3"));

        _fake.Failures.Calls(nameof(IProducer<byte[], byte[]>.Produce)).ShouldBe(3);
        _fake.Broker.CommittedOutputs.Select(o => o.ValueText).ShouldBe(["1", "3"]);
    }

    [Fact]
    public void FatalError_FailsEveryLaterCall()
    {
        _fake.Failures.Fail(nameof(IProducer<byte[], byte[]>.CommitTransaction), onCall: 1, KafkaFailures.Fatal(ErrorCode.Local_Fenced));
        using var producer = Transactional();
        producer.BeginTransaction();

        Should.Throw<KafkaException>(() => producer.CommitTransaction(TimeSpan.FromSeconds(1))).Error.IsFatal.ShouldBeTrue();
        Should.Throw<KafkaException>(() => producer.AbortTransaction(TimeSpan.FromSeconds(1))).Error.Code.ShouldBe(ErrorCode.Local_Fenced);
        _fake.Broker.Transactions.Single().Outcome.ShouldBe(FakeTransactionOutcome.Open);
    }

    [Fact]
    public void AbortableError_RefusesEverythingButTheAbort()
    {
        _fake.Failures.Fail(nameof(IProducer<byte[], byte[]>.Produce), onCall: 1, KafkaFailures.Abortable(ErrorCode.InvalidTxnState));
        using var producer = Transactional();
        producer.BeginTransaction();

        Should.Throw<KafkaTxnRequiresAbortException>(() => producer.Produce("out", Message("x")));
        Should.Throw<KafkaTxnRequiresAbortException>(() => producer.CommitTransaction(TimeSpan.FromSeconds(1)));
        producer.AbortTransaction(TimeSpan.FromSeconds(1));
        producer.BeginTransaction();
        producer.Produce("out", Message("y"));
        producer.CommitTransaction(TimeSpan.FromSeconds(1));

        _fake.Broker.CommittedOutputs.Select(o => o.ValueText).ShouldBe(["y"]);
    }

    [Fact]
    public void Rebalances_RunTheirHandlersInsideConsumeAndClose()
    {
        _fake.Broker.Feed("in", 0, "a", "b");
        _fake.Broker.Feed("in", 1, "x");
        var events = new List<string>();
        var consumerThread = Environment.CurrentManagedThreadId;
        using var consumer = Clients.CreateConsumer("g", null, "c", b => b
            .SetPartitionsAssignedHandler((_, ps) => events.Add($"assigned {ps.Count} on {Environment.CurrentManagedThreadId == consumerThread}"))
            .SetPartitionsRevokedHandler((_, ps) => events.Add($"revoked {string.Join(',', ps)}"))
            .SetPartitionsLostHandler((_, ps) => events.Add($"lost {string.Join(',', ps)}")));
        var fake = _fake.Consumers.Single();

        consumer.Subscribe("in");
        events.ShouldBeEmpty();
        var read = new List<string>();
        while (consumer.Consume(TimeSpan.FromMilliseconds(10)) is { } r)
        {
            read.Add($"{r.Partition.Value}@{r.Offset.Value}");
        }

        fake.RebalanceLose(new TopicPartition("in", 1));
        consumer.Consume(TimeSpan.FromMilliseconds(10)).ShouldBeNull();
        consumer.Close();

        read.Order(StringComparer.Ordinal).ShouldBe(["0@0", "0@1", "1@0"]);
        // Handed over with their positions: the next offset to read.
        events.ShouldBe(["assigned 2 on True", "lost in [[1]] @1", "revoked in [[0]] @2"]);
        consumer.Assignment.ShouldBeEmpty();
    }

    [Fact]
    public void Assigned_StartsAtTheCommittedOffsetElseTheEarliest()
    {
        _fake.Broker.Feed("in", 0, "a", "b", "c");
        using (var producer = Transactional())
        using (var first = Clients.CreateConsumer("g", null, "c1", _ => { }))
        {
            producer.BeginTransaction();
            producer.SendOffsetsToTransaction([new TopicPartitionOffset(In0, 2)], first.ConsumerGroupMetadata, TimeSpan.FromSeconds(1));
            producer.CommitTransaction(TimeSpan.FromSeconds(1));
        }

        using var same = Clients.CreateConsumer("g", null, "c2", _ => { });
        using var other = Clients.CreateConsumer("h", null, "c3", _ => { });
        same.Subscribe("in");
        other.Subscribe("in");

        same.Consume(TimeSpan.FromMilliseconds(10))!.Offset.Value.ShouldBe(2);
        other.Consume(TimeSpan.FromMilliseconds(10))!.Offset.Value.ShouldBe(0);
    }

    private IProducer<byte[]?, byte[]?> Transactional(bool init = true)
    {
        var producer = Clients.CreateTransactionalProducer("tx", "p", TimeSpan.FromSeconds(10));
        if (init)
        {
            producer.InitTransactions(TimeSpan.FromSeconds(1));
        }

        return producer;
    }

    private static Message<byte[]?, byte[]?> Message(string value) => new() { Value = System.Text.Encoding.UTF8.GetBytes(value) };
}

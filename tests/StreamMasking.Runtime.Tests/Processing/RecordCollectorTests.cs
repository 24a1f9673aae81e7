using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.State;
using StreamMasking.Testing.Kafka;

namespace StreamMasking.Runtime.Tests.Processing;

/// <summary>The one output path: outputs and changelog writes through the same producer, back-off and tally.</summary>
public sealed class RecordCollectorTests
{
    [Fact]
    public void Send_OutputsAndChangelogWrites_OneTransactionOneBackOffOnlyOutputsTallied()
    {
        var clients = new FakeKafkaClientFactory();
        IKafkaClientFactory factory = clients;
        using var producer = factory.CreateTransactionalProducer("t-1", "loop", TimeSpan.FromSeconds(10));
        producer.InitTransactions(TimeSpan.FromSeconds(1));
        producer.BeginTransaction();
        var tally = new TransactionTally();
        var collector = new RecordCollector(producer, tally, "mask", NullLogger.Instance);
        var changelog = new ProducerChangelogSink(collector);
        // The local queue is full for the second and third produce calls: the changelog write waits, then goes once.
        clients.Failures.Fail(nameof(IProducer<byte[], byte[]>.Produce), onCall: 2, KafkaFailures.QueueFull(), times: 2);

        collector.Send(new OutputRecord("masked.a", Message("out-1"), OutputKind.Published, Segment: "a"));
        changelog.Send("app-dp-state-changelog", 3, Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes("state"));
        changelog.Send("app-dp-state-changelog", 3, Encoding.UTF8.GetBytes("k"), value: null);
        producer.CommitTransaction(TimeSpan.FromSeconds(1));

        clients.Failures.Calls(nameof(IProducer<byte[], byte[]>.Produce)).ShouldBe(5);
        var committed = clients.Broker.Transactions.ShouldHaveSingleItem();
        committed.Outcome.ShouldBe(FakeTransactionOutcome.Committed);
        committed.Outputs.Select(o => (o.Topic, o.ValueText)).ShouldBe(
            [("masked.a", "out-1"), ("app-dp-state-changelog", "state"), ("app-dp-state-changelog", "")]);
        tally.Published.ShouldBe(1);
        tally.PublishedBySegment["a"].ShouldBe(1);
    }

    [Fact]
    public void Send_OtherProduceError_PropagatesToTheLoopsErrorPolicy()
    {
        var clients = new FakeKafkaClientFactory();
        IKafkaClientFactory factory = clients;
        using var producer = factory.CreateTransactionalProducer("t-1", "loop", TimeSpan.FromSeconds(10));
        producer.InitTransactions(TimeSpan.FromSeconds(1));
        producer.BeginTransaction();
        var collector = new RecordCollector(producer, new TransactionTally(), "mask", NullLogger.Instance);
        clients.Failures.Fail(nameof(IProducer<byte[], byte[]>.Produce), onCall: 1, KafkaFailures.Fatal(ErrorCode.MsgSizeTooLarge));

        Should.Throw<KafkaException>(() => collector.Send(new TopicPartition("c", 0), Message("big"), _ => { }))
            .Error.Code.ShouldBe(ErrorCode.MsgSizeTooLarge);
        clients.Failures.Calls(nameof(IProducer<byte[], byte[]>.Produce)).ShouldBe(1);
    }

    private static Message<byte[]?, byte[]?> Message(string value) => new() { Value = Encoding.UTF8.GetBytes(value) };
}

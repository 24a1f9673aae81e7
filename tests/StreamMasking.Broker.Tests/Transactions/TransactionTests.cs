using Confluent.Kafka;
using StreamMasking.Broker.Tests.Groups;

namespace StreamMasking.Broker.Tests.Transactions;

/// <summary>Transactions end to end with Confluent.Kafka over TCP against the local broker.</summary>
public sealed class TransactionTests : IAsyncLifetime
{
    private CoordinatorTestBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await CoordinatorTestBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task CommitTransaction_RecordsInTwoPartitions_VisibleToReadCommitted()
    {
        var topic = await _broker.CreateTopicAsync(2);
        using (var producer = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig("txn-" + Guid.NewGuid())).Build())
        {
            producer.InitTransactions(CoordinatorTestBroker.Timeout);
            producer.BeginTransaction();
            for (var i = 0; i < 10; i++)
            {
                producer.Produce(new TopicPartition(topic, i % 2), new Message<string, string> { Key = "k" + i, Value = "v" + i });
            }

            producer.CommitTransaction(CoordinatorTestBroker.Timeout);
        }

        _broker.WriteSentinels(topic, 2, "END");
        var committed = _broker.ReadUntilSentinels(topic, 2, "END", IsolationLevel.ReadCommitted);

        committed.Select(r => r.Message.Value).Order().ShouldBe(Enumerable.Range(0, 10).Select(i => "v" + i).Order());
    }

    [Fact]
    public async Task AbortTransaction_Records_InvisibleToReadCommittedButVisibleToReadUncommitted()
    {
        var topic = await _broker.CreateTopicAsync(2);
        using (var producer = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig("txn-" + Guid.NewGuid())).Build())
        {
            producer.InitTransactions(CoordinatorTestBroker.Timeout);
            producer.BeginTransaction();
            for (var i = 0; i < 6; i++)
            {
                producer.Produce(new TopicPartition(topic, i % 2), new Message<string, string> { Key = "k", Value = "aborted" + i });
            }

            producer.Flush(CoordinatorTestBroker.Timeout);
            producer.AbortTransaction(CoordinatorTestBroker.Timeout);
            producer.BeginTransaction();
            producer.Produce(new TopicPartition(topic, 0), new Message<string, string> { Key = "k", Value = "committed" });
            producer.CommitTransaction(CoordinatorTestBroker.Timeout);
        }

        _broker.WriteSentinels(topic, 2, "END");

        var readCommitted = _broker.ReadUntilSentinels(topic, 2, "END", IsolationLevel.ReadCommitted);
        var readUncommitted = _broker.ReadUntilSentinels(topic, 2, "END", IsolationLevel.ReadUncommitted);

        readCommitted.Select(r => r.Message.Value).ShouldBe(["committed"]);
        readUncommitted.Count(r => r.Message.Value.StartsWith("aborted", StringComparison.Ordinal)).ShouldBe(6);
    }

    [Fact]
    public async Task OpenTransaction_LaterCommittedRecords_HiddenFromReadCommittedUntilCommit()
    {
        var topic = await _broker.CreateTopicAsync(1);
        using var producer = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig("txn-" + Guid.NewGuid())).Build();
        producer.InitTransactions(CoordinatorTestBroker.Timeout);
        producer.BeginTransaction();
        producer.Produce(new TopicPartition(topic, 0), new Message<string, string> { Key = "k", Value = "open" });
        producer.Flush(CoordinatorTestBroker.Timeout);
        _broker.WriteSentinels(topic, 1, "END");

        // The sentinel lies behind the open transaction, so the last stable offset hides it.
        using var reader = new ConsumerBuilder<string, string>(_broker.ConsumerConfig("lso-" + Guid.NewGuid(), IsolationLevel.ReadCommitted)).Build();
        reader.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var before = reader.Consume(TimeSpan.FromSeconds(3));
        before.ShouldSatisfyAllConditions(() => (before?.Message).ShouldBeNull());

        producer.CommitTransaction(CoordinatorTestBroker.Timeout);
        var values = new List<string>();
        var deadline = DateTime.UtcNow + CoordinatorTestBroker.Timeout;
        while (!values.Contains("END") && DateTime.UtcNow < deadline)
        {
            var result = reader.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message is not null)
            {
                values.Add(result.Message.Value);
            }
        }

        values.ShouldBe(["open", "END"]);
    }
}

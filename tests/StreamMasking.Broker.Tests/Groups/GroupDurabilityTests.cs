using Confluent.Kafka;

namespace StreamMasking.Broker.Tests.Groups;

/// <summary>Committed offsets and transaction state survive a broker restart with a data directory.</summary>
public sealed class GroupDurabilityTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "sm-durable-" + Guid.NewGuid().ToString("N"));
    private CoordinatorTestBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await CoordinatorTestBroker.StartAsync(o => o.DataDirectory = _dataDirectory);

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Restart_WithDataDirectory_CommittedAndTransactionalOffsetsSurvive()
    {
        var topic = await _broker.CreateTopicAsync(2);
        var plainGroup = "plain-" + Guid.NewGuid();
        var txnGroup = "txn-" + Guid.NewGuid();
        using (var consumer = new ConsumerBuilder<string, string>(_broker.ConsumerConfig(plainGroup)).Build())
        {
            consumer.Commit([new TopicPartitionOffset(topic, 0, 17), new TopicPartitionOffset(topic, 1, 4)]);
        }

        var transactionalId = "durable-" + Guid.NewGuid();
        using (var producer = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig(transactionalId)).Build())
        {
            using var consumer = new ConsumerBuilder<string, string>(_broker.ConsumerConfig(txnGroup)).Build();
            producer.InitTransactions(CoordinatorTestBroker.Timeout);
            producer.BeginTransaction();
            producer.Produce(topic, new Message<string, string> { Key = "k", Value = "v" });
            producer.SendOffsetsToTransaction([new TopicPartitionOffset(topic, 1, 9)], consumer.ConsumerGroupMetadata, CoordinatorTestBroker.Timeout);
            producer.CommitTransaction(CoordinatorTestBroker.Timeout);
        }

        await _broker.RestartAsync();

        _broker.Committed(plainGroup, topic, 2).Select(o => o.Offset.Value).ShouldBe([17L, 4L]);
        _broker.Committed(txnGroup, topic, 2)[1].Offset.Value.ShouldBe(9);
        using var successor = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig(transactionalId)).Build();
        successor.InitTransactions(CoordinatorTestBroker.Timeout);
        successor.BeginTransaction();
        successor.Produce(topic, new Message<string, string> { Key = "k", Value = "after-restart" });
        successor.CommitTransaction(CoordinatorTestBroker.Timeout);
    }
}

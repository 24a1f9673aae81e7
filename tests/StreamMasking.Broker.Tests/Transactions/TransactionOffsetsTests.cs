using Confluent.Kafka;
using StreamMasking.Broker.Tests.Groups;

namespace StreamMasking.Broker.Tests.Transactions;

/// <summary>SendOffsetsToTransaction: offsets are committed with the transaction, never on abort.</summary>
public sealed class TransactionOffsetsTests : IAsyncLifetime, IDisposable
{
    private readonly CapturingLoggerFactory _logs = new();
    private CoordinatorTestBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await CoordinatorTestBroker.StartAsync(loggerFactory: _logs);

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _logs.Dispose();
    }

    [Fact]
    public async Task SendOffsetsToTransaction_AbortThenCommit_OffsetCommittedOnlyByCommit()
    {
        var input = await _broker.CreateTopicAsync(1);
        var output = await _broker.CreateTopicAsync(1);
        var groupId = "eos-" + Guid.NewGuid();
        using (var seed = new ProducerBuilder<string, string>(_broker.PlainProducerConfig()).Build())
        {
            for (var i = 0; i < 5; i++)
            {
                seed.Produce(input, new Message<string, string> { Key = "k", Value = "in" + i });
            }

            seed.Flush(CoordinatorTestBroker.Timeout);
        }

        using var consumer = new ConsumerBuilder<string, string>(_broker.ConsumerConfig(groupId)).Build();
        consumer.Subscribe(input);
        var consumed = 0;
        var deadline = DateTime.UtcNow + CoordinatorTestBroker.Timeout;
        while (consumed < 5 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200))?.Message is not null)
            {
                consumed++;
            }
        }

        consumed.ShouldBe(5);
        var position = new[] { new TopicPartitionOffset(input, 0, 5) };
        using var producer = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig("txn-" + Guid.NewGuid())).Build();
        producer.InitTransactions(CoordinatorTestBroker.Timeout);

        producer.BeginTransaction();
        producer.Produce(output, new Message<string, string> { Key = "k", Value = "out" });
        producer.SendOffsetsToTransaction(position, consumer.ConsumerGroupMetadata, CoordinatorTestBroker.Timeout);
        producer.AbortTransaction(CoordinatorTestBroker.Timeout);
        _broker.Committed(groupId, input, 1)[0].Offset.ShouldBe(Offset.Unset);

        producer.BeginTransaction();
        producer.Produce(output, new Message<string, string> { Key = "k", Value = "out" });
        producer.SendOffsetsToTransaction(position, consumer.ConsumerGroupMetadata, CoordinatorTestBroker.Timeout);
        producer.CommitTransaction(CoordinatorTestBroker.Timeout);
        _broker.Committed(groupId, input, 1)[0].Offset.Value.ShouldBe(5);
        consumer.Close();
    }

    [Fact]
    public async Task ReadCommittedConsumer_TransactionalOffsetPending_WaitsAndStartsFromCommittedPosition()
    {
        var topic = await _broker.CreateTopicAsync(1);
        var groupId = "stable-" + Guid.NewGuid();
        using (var seed = new ProducerBuilder<string, string>(_broker.PlainProducerConfig()).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                seed.Produce(topic, new Message<string, string> { Key = "k", Value = "v" + i });
            }

            seed.Flush(CoordinatorTestBroker.Timeout);
        }

        using var metadataSource = new ConsumerBuilder<string, string>(_broker.ConsumerConfig(groupId)).Build();
        using var producer = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig("txn-" + Guid.NewGuid())).Build();
        producer.InitTransactions(CoordinatorTestBroker.Timeout);
        producer.BeginTransaction();
        producer.SendOffsetsToTransaction([new TopicPartitionOffset(topic, 0, 5)], metadataSource.ConsumerGroupMetadata, CoordinatorTestBroker.Timeout);

        // While the offset is pending, OffsetFetch(require_stable) answers UNSTABLE_OFFSET_COMMIT: the consumer must not
        // fall back to auto.offset.reset=earliest (offset 0) but wait for the transaction's outcome.
        using var consumer = new ConsumerBuilder<string, string>(_broker.ConsumerConfig(groupId)).Build();
        consumer.Subscribe(topic);
        // librdkafka sets require_stable for read_committed consumers: wait until the broker answered it unstable
        // (so the commit below happens while the consumer is waiting, not before it asked).
        var asked = DateTime.UtcNow + CoordinatorTestBroker.Timeout;
        while (!_logs.Lines.Any(l => l.Contains($"Group {groupId} offset fetch", StringComparison.Ordinal)) && DateTime.UtcNow < asked)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(200)).ShouldBeNull();
        }

        _logs.Lines.ShouldContain(l => l.Contains($"Group {groupId} offset fetch", StringComparison.Ordinal)
            && l.Contains("UNSTABLE_OFFSET_COMMIT", StringComparison.Ordinal));
        producer.CommitTransaction(CoordinatorTestBroker.Timeout);
        ConsumeResult<string, string>? first = null;
        var deadline = DateTime.UtcNow + CoordinatorTestBroker.Timeout;
        while (first is null && DateTime.UtcNow < deadline)
        {
            first = consumer.Consume(TimeSpan.FromMilliseconds(200));
        }

        first.ShouldNotBeNull().Offset.Value.ShouldBe(5);
        consumer.Close();
    }

    public void Dispose() => _logs.Dispose();
}

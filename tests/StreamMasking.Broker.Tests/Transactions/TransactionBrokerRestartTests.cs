using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMasking.Testing;
using Xunit.Abstractions;

namespace StreamMasking.Broker.Tests.Transactions;

/// <summary>
/// A consume–transform–produce loop whose broker is killed (SIGKILL) and restarted from its data directory on the same
/// port while a transaction is open. (The chaos test's services were fenced after broker restarts; the cause was the
/// client, whose SendOffsetsToTransaction blocked past the transaction timeout, not the restored coordinator state.)
/// </summary>
public sealed class TransactionBrokerRestartTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "sm-restart-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task KillBrokerProcess_OpenTransactionOfLiveProducer_ProducerContinuesAfterRestart()
    {
        var input = "in-" + Guid.NewGuid().ToString("N");
        var outputTopic = "out-" + Guid.NewGuid().ToString("N");
        var group = "loop-" + Guid.NewGuid().ToString("N");
        var broker = await BrokerProcess.StartAsync(_dataDirectory);
        try
        {
            var bootstrap = broker.BootstrapServers;
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
            {
                await admin.CreateTopicsAsync([
                    new TopicSpecification { Name = input, NumPartitions = 1, ReplicationFactor = 1 },
                    new TopicSpecification { Name = outputTopic, NumPartitions = 1, ReplicationFactor = 1 }]);
            }

            using (var seed = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
            {
                for (var i = 0; i < 10; i++)
                {
                    seed.Produce(input, new Message<string, string> { Key = "k", Value = "v" + i });
                }

                seed.Flush(TimeSpan.FromSeconds(30));
            }

            using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
            {
                BootstrapServers = bootstrap,
                GroupId = group,
                GroupInstanceId = "instance-1",
                EnableAutoCommit = false,
                IsolationLevel = IsolationLevel.ReadCommitted,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                SessionTimeoutMs = 6000,
                HeartbeatIntervalMs = 1000,
            }).Build();
            using var producer = new ProducerBuilder<string, string>(new ProducerConfig
            {
                BootstrapServers = bootstrap,
                TransactionalId = "loop-" + Guid.NewGuid().ToString("N"),
                TransactionTimeoutMs = 10_000,
            }).Build();
            producer.InitTransactions(TimeSpan.FromSeconds(30));
            consumer.Subscribe(input);
            var first = ConsumeOne(consumer);
            producer.BeginTransaction();
            producer.Produce(outputTopic, new Message<string, string> { Key = "k", Value = first.Message.Value });
            producer.Flush(TimeSpan.FromSeconds(30));

            var port = broker.Port;
            await broker.KillAsync();
            await broker.DisposeAsync();
            broker = await BrokerProcess.StartAsync(_dataDirectory, port);

            // Kafka keeps the producer's epoch and the open transaction across a coordinator restart, so the same
            // producer finishes its transaction: it is not fenced, and the output and the offsets commit together.
            producer.SendOffsetsToTransaction([new TopicPartitionOffset(first.TopicPartitionOffset.TopicPartition, first.Offset + 1)],
                consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
            producer.CommitTransaction(TimeSpan.FromSeconds(30));

            using var reader = new ConsumerBuilder<string, string>(new ConsumerConfig
            {
                BootstrapServers = broker.BootstrapServers,
                GroupId = group,
                IsolationLevel = IsolationLevel.ReadCommitted,
                AutoOffsetReset = AutoOffsetReset.Earliest,
            }).Build();
            reader.Committed([first.TopicPartition], TimeSpan.FromSeconds(30))[0].Offset.Value.ShouldBe(first.Offset.Value + 1);
            reader.Assign(new TopicPartitionOffset(outputTopic, 0, Offset.Beginning));
            var committed = ConsumeOne(reader);
            committed.Message.Value.ShouldBe(first.Message.Value);
            output.WriteLine($"committed after the restart: offset {first.Offset.Value + 1}, output {committed.Message.Value}");
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    private static ConsumeResult<string, string> ConsumeOne(IConsumer<string, string> consumer)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } record)
            {
                return record;
            }
        }

        throw new TimeoutException("no record consumed");
    }
}

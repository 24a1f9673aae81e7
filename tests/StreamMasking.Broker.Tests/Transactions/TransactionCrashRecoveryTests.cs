using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMasking.Broker.Tests.Groups;
using StreamMasking.Testing;

namespace StreamMasking.Broker.Tests.Transactions;

/// <summary>The broker as a separate process, killed with SIGKILL: nothing acknowledged by a coordinator is lost.</summary>
public sealed class TransactionCrashRecoveryTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "sm-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Fact]
    public async Task KillBrokerProcess_CommittedOffsetsAndTransactionsSurviveAndOpenTransactionIsAbortedLater()
    {
        var topic = "crash-" + Guid.NewGuid().ToString("N");
        var group = "crash-group-" + Guid.NewGuid();
        var openId = "open-" + Guid.NewGuid();
        await using (var broker = await BrokerProcess.StartAsync(_dataDirectory))
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }]);
            using var consumer = new ConsumerBuilder<string, string>(Consumer(broker.BootstrapServers, group)).Build();
            using var committed = new ProducerBuilder<string, string>(Producer(broker.BootstrapServers, "done-" + Guid.NewGuid())).Build();
            committed.InitTransactions(CoordinatorTestBroker.Timeout);
            committed.BeginTransaction();
            committed.Produce(topic, new Message<string, string> { Key = "k", Value = "committed" });
            committed.SendOffsetsToTransaction([new TopicPartitionOffset(topic, 0, 42)], consumer.ConsumerGroupMetadata, CoordinatorTestBroker.Timeout);
            committed.CommitTransaction(CoordinatorTestBroker.Timeout);

            using var open = new ProducerBuilder<string, string>(Producer(broker.BootstrapServers, openId)).Build();
            open.InitTransactions(CoordinatorTestBroker.Timeout);
            open.BeginTransaction();
            open.Produce(topic, new Message<string, string> { Key = "k", Value = "in-flight" });
            open.Flush(CoordinatorTestBroker.Timeout);
            await broker.KillAsync();
        }

        await using var restarted = await BrokerProcess.StartAsync(_dataDirectory);
        using (var consumer = new ConsumerBuilder<string, string>(Consumer(restarted.BootstrapServers, group)).Build())
        {
            consumer.Committed([new TopicPartition(topic, 0)], CoordinatorTestBroker.Timeout)[0].Offset.Value.ShouldBe(42);
        }

        // The successor of the in-flight producer aborts what it left open, then commits its own work.
        using (var successor = new ProducerBuilder<string, string>(Producer(restarted.BootstrapServers, openId)).Build())
        {
            successor.InitTransactions(CoordinatorTestBroker.Timeout);
            successor.BeginTransaction();
            successor.Produce(topic, new Message<string, string> { Key = "k", Value = "successor" });
            successor.CommitTransaction(CoordinatorTestBroker.Timeout);
        }

        using var reader = new ConsumerBuilder<string, string>(Consumer(restarted.BootstrapServers, "reader-" + Guid.NewGuid())).Build();
        reader.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var values = new List<string>();
        var deadline = DateTime.UtcNow + CoordinatorTestBroker.Timeout;
        while (!values.Contains("successor") && DateTime.UtcNow < deadline)
        {
            if (reader.Consume(TimeSpan.FromMilliseconds(200))?.Message is { } message)
            {
                values.Add(message.Value);
            }
        }

        values.ShouldBe(["committed", "successor"]);
    }

    private static ProducerConfig Producer(string bootstrap, string transactionalId) =>
        new() { BootstrapServers = bootstrap, TransactionalId = transactionalId, EnableIdempotence = true };

    private static ConsumerConfig Consumer(string bootstrap, string group) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = group,
        EnableAutoCommit = false,
        IsolationLevel = IsolationLevel.ReadCommitted,
        AutoOffsetReset = AutoOffsetReset.Earliest,
    };
}

using System.Text;
using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Broker.Tests.Integration;

/// <summary>The broker as a separate process with a data directory, killed (SIGKILL) and restarted mid-test.</summary>
public sealed class DurabilityTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), $"sm-broker-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private static async Task ProduceAsync(string bootstrap, string topic, IEnumerable<int> values)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 5,
        }).Build();
        await Task.WhenAll(values.Select(i => producer.ProduceAsync(topic, new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes($"k{i}"),
            Value = Encoding.UTF8.GetBytes($"v{i}"),
        })));
    }

    private static List<string> ReadAll(string bootstrap, string topic, int partitions, int expected)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"g-{Guid.NewGuid():N}",
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var values = new List<string>();
        var eof = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (values.Count < expected || eof.Count < partitions))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                eof.Add(result.Partition.Value);
                continue;
            }

            eof.Remove(result.Partition.Value);
            values.Add(Encoding.UTF8.GetString(result.Message.Value!));
        }

        return values;
    }

    [Fact]
    public async Task KilledBrokerProcess_Restarted_LosesNothing()
    {
        const string topic = "durable";
        var first = await BrokerProcess.StartAsync(_dataDir);
        await using (first)
        {
            await ProduceAsync(first.BootstrapServers, topic, Enumerable.Range(0, 500));
            await first.KillAsync();
        }

        var second = await BrokerProcess.StartAsync(_dataDir);
        await using (second)
        {
            ReadAll(second.BootstrapServers, topic, 3, 500).Count.ShouldBe(500);
            await ProduceAsync(second.BootstrapServers, topic, Enumerable.Range(500, 500));
            await second.KillAsync();
        }

        var third = await BrokerProcess.StartAsync(_dataDir);
        await using (third)
        {
            var values = ReadAll(third.BootstrapServers, topic, 3, 1000);
            values.Order().ShouldBe(Enumerable.Range(0, 1000).Select(i => $"v{i}").Order());
        }
    }

    [Fact]
    public async Task BrokerProcess_Sigterm_ExitsGracefullyAndKeepsData()
    {
        var first = await BrokerProcess.StartAsync(_dataDir);
        await using (first)
        {
            await ProduceAsync(first.BootstrapServers, "graceful", Enumerable.Range(0, 10));
            (await first.StopAsync()).ShouldBe(0);
        }

        var second = await BrokerProcess.StartAsync(_dataDir);
        await using (second)
        {
            ReadAll(second.BootstrapServers, "graceful", 3, 10).Count.ShouldBe(10);
        }
    }

    [Fact]
    public async Task InProcessBroker_Restarted_KeepsTopicsConfigsAndOffsets()
    {
        string bootstrap;
        await using (var broker = await LocalBroker.StartAsync(new LocalBrokerOptions { DataDirectory = _dataDir }))
        {
            bootstrap = broker.BootstrapServers;
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
            await admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification
            {
                Name = "configured", NumPartitions = 2, ReplicationFactor = 1,
                Configs = new Dictionary<string, string> { ["cleanup.policy"] = "compact" },
            }]);
            await ProduceAsync(bootstrap, "configured", Enumerable.Range(0, 20));
        }

        await using (var broker = await LocalBroker.StartAsync(new LocalBrokerOptions { DataDirectory = _dataDir }))
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
            var metadata = admin.GetMetadata("configured", TimeSpan.FromSeconds(30));
            metadata.Topics.Single().Partitions.Count.ShouldBe(2);
            var configs = await admin.DescribeConfigsAsync([new Confluent.Kafka.Admin.ConfigResource { Type = Confluent.Kafka.Admin.ResourceType.Topic, Name = "configured" }]);
            configs.Single().Entries["cleanup.policy"].Value.ShouldBe("compact");
            ReadAll(broker.BootstrapServers, "configured", 2, 20).Count.ShouldBe(20);
        }
    }
}

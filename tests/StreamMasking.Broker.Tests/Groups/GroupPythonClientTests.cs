using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Broker.Tests.Groups;

/// <summary>
/// kafka-python (an independent, pure-Python protocol implementation using old API versions: JoinGroup v0-2, OffsetCommit
/// v2, ...) runs a consumer group against the broker; Confluent.Kafka then reads the offsets it committed.
/// </summary>
public sealed class GroupPythonClientTests : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys
        from kafka import KafkaConsumer, TopicPartition
        bootstrap, topic, group = sys.argv[1], sys.argv[2], sys.argv[3]
        consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset='earliest',
                                 enable_auto_commit=False, consumer_timeout_ms=30000)
        seen = 0
        for message in consumer:
            seen += 1
            if seen == 30:
                break
        consumer.commit()
        consumer.close()
        print(seen)
        """;

    private CoordinatorTestBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await CoordinatorTestBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [SkippableFact]
    public async Task KafkaPythonConsumerGroup_ConsumesAndCommits_OffsetsVisibleToConfluentClient()
    {
        Skip.IfNot(File.Exists(Python) && Run("-c", "import kafka").ExitCode == 0, "kafka-python is not installed (apt-get install python3-kafka).");
        var topic = await _broker.CreateTopicAsync(3);
        var group = "python-" + Guid.NewGuid();
        using (var producer = new ProducerBuilder<string, string>(_broker.PlainProducerConfig()).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                producer.Produce(new TopicPartition(topic, i % 3), new Message<string, string> { Key = "k" + i, Value = "v" + i });
            }

            producer.Flush(CoordinatorTestBroker.Timeout);
        }

        var (exitCode, stdout, stderr) = Run("-c", Script, _broker.BootstrapServers, topic, group);

        exitCode.ShouldBe(0, stderr);
        stdout.Trim().ShouldBe("30");
        _broker.Committed(group, topic, 3).Select(o => o.Offset.Value).ShouldBe([10L, 10L, 10L]);
    }

    private static ProcessResult Run(params string[] args) => ProcessRunner.Run(Python, args, TimeSpan.FromSeconds(120));
}

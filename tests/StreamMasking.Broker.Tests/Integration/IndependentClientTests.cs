using System.Text;
using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Broker.Tests.Integration;

/// <summary>
/// Clients that share no code with Confluent.Kafka's wire handling agree with the broker: Debian's kcat (librdkafka
/// CLI) and kafka-python (a pure-Python protocol implementation). Skipped when the tool is not installed.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class IndependentClientTests(KafkaCluster cluster)
{
    private const string Kcat = "/usr/bin/kcat";
    private const string Python = "/usr/bin/python3";

    private static ProcessResult Run(string file, IEnumerable<string> args, string? stdin) =>
        ProcessRunner.Run(file, args, TimeSpan.FromSeconds(120), stdin);

    private static bool HasKafkaPython() =>
        File.Exists(Python) && Run(Python, ["-c", "import kafka"], null).ExitCode == 0;

    [SkippableFact]
    public async Task Kcat_ProducesAndConsumes_AgreesWithConfluentClient()
    {
        Skip.IfNot(File.Exists(Kcat), "kcat is not installed (apt-get install kcat).");
        var fromKcat = await cluster.CreateTopicAsync(partitions: 2);
        var input = string.Concat(Enumerable.Range(0, 50).Select(i => $"key{i}:value{i}\n"));
        var produced = Run(Kcat, ["-b", cluster.BootstrapServers, "-t", fromKcat, "-P", "-K:"], input);
        produced.ExitCode.ShouldBe(0, produced.Error);
        var consumed = cluster.DrainCommitted(fromKcat);
        consumed.Select(r => $"{Encoding.UTF8.GetString(r.Message.Key!)}:{Encoding.UTF8.GetString(r.Message.Value!)}").Order()
            .ShouldBe(Enumerable.Range(0, 50).Select(i => $"key{i}:value{i}").Order());

        var toKcat = await cluster.CreateTopicAsync(partitions: 2);
        await cluster.ProduceAsync(toKcat, Enumerable.Range(0, 50).Select(i => new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes($"k{i}"),
            Value = Encoding.UTF8.GetBytes($"v{i}"),
        }), c => c.CompressionType = CompressionType.Lz4);
        var read = Run(Kcat, ["-b", cluster.BootstrapServers, "-t", toKcat, "-C", "-o", "beginning", "-e", "-q", "-f", "%k=%s\n"], null);
        read.ExitCode.ShouldBe(0, read.Error);
        read.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order()
            .ShouldBe(Enumerable.Range(0, 50).Select(i => $"k{i}=v{i}").Order());
    }

    [SkippableFact]
    public async Task KafkaPython_ProducesAndConsumes_AgreesWithConfluentClient()
    {
        Skip.IfNot(HasKafkaPython(), "kafka-python is not installed for /usr/bin/python3 (apt-get install python3-kafka).");
        var fromPython = await cluster.CreateTopicAsync(partitions: 2);
        var toPython = await cluster.CreateTopicAsync(partitions: 2);
        await cluster.ProduceAsync(toPython, Enumerable.Range(0, 40).Select(i => new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes($"k{i}"),
            Value = Encoding.UTF8.GetBytes($"v{i}"),
        }), c => c.CompressionType = CompressionType.Gzip);

        const string script = """
            import sys
            from kafka import KafkaConsumer, KafkaProducer, TopicPartition
            bootstrap, source, target = sys.argv[1], sys.argv[2], sys.argv[3]
            producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all')
            for i in range(40):
                producer.send(target, key=('pk%d' % i).encode(), value=('pv%d' % i).encode(), headers=[('h', b'x')])
            producer.flush()
            producer.close()
            consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset='earliest',
                                     enable_auto_commit=False, consumer_timeout_ms=10000)
            partitions = [TopicPartition(source, p) for p in sorted(consumer.partitions_for_topic(source))]
            consumer.assign(partitions)
            consumer.seek_to_beginning()
            seen = 0
            for message in consumer:
                print('%s=%s' % (message.key.decode(), message.value.decode()))
                seen += 1
                if seen == 40:
                    break
            consumer.close()
            """;
        var result = Run(Python, ["-c", script, cluster.BootstrapServers, toPython, fromPython], null);
        result.ExitCode.ShouldBe(0, result.Error);
        result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order()
            .ShouldBe(Enumerable.Range(0, 40).Select(i => $"k{i}=v{i}").Order());

        var consumed = cluster.DrainCommitted(fromPython);
        consumed.Select(r => $"{Encoding.UTF8.GetString(r.Message.Key!)}={Encoding.UTF8.GetString(r.Message.Value!)}").Order()
            .ShouldBe(Enumerable.Range(0, 40).Select(i => $"pk{i}=pv{i}").Order());
        consumed.ShouldAllBe(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes("h")) == "x");
    }
}

using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using StreamMasking.Broker;

namespace StreamMasking.Benchmarks.Broker;

/// <summary>
/// Produce and consume throughput of the local broker with a data directory (segment files, sparse indexes, the
/// bounded batch cache) against librdkafka's mock cluster, in the same process and minute; the local broker
/// without a data directory runs too, to separate the storage's cost. Runs alternate after a warm-up round; prints each run, the medians and the ratios local / mock. Produce is
/// an idempotent producer (acks=all) from first send to flushed; consume is one consumer (timed from its first
/// record) reading every partition
/// from the beginning until it has every record the log retained (the mock keeps only the newest few MB of each
/// partition, so for it that is fewer than were produced; the count is printed).
/// </summary>
internal static class BrokerThroughputHarness
{
    private const int ValueBytes = 100;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    internal static async Task RunAsync(TextWriter output, int records, int rounds)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "sm-bench-broker-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var broker = await LocalBroker.StartAsync(new LocalBrokerOptions { DataDirectory = dataDir, DefaultPartitions = 4 });
            await using var memory = await LocalBroker.StartAsync(new LocalBrokerOptions { DefaultPartitions = 4 });
            using var mock = MockCluster.Start();
            output.WriteLine($"records per run: {records} x {ValueBytes} B; rounds: {rounds} (after one warm-up round); local {broker.BootstrapServers}, local in memory {memory.BootstrapServers}, mock {mock.BootstrapServers}");
            var targets = new[] { ("local", broker.BootstrapServers), ("memory", memory.BootstrapServers), ("mock ", mock.BootstrapServers) };
            foreach (var (_, bootstrap) in targets)
            {
                Run(bootstrap, records);
            }

            var results = targets.ToDictionary(t => t.Item1, _ => (Produce: new List<double>(), Consume: new List<double>()));
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, bootstrap) in targets)
                {
                    var (produce, consume, retained) = Run(bootstrap, records);
                    results[name].Produce.Add(produce);
                    results[name].Consume.Add(consume);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round + 1} {name,-6}: produce {produce,9:F0} records/s, consume {consume,9:F0} records/s ({retained} records retained)"));
                }
            }

            foreach (var (name, (produce, consume)) in results)
            {
                // Stalls on a shared machine only ever slow a run down: the best run shows capacity, the median the typical.
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-6}: produce median {HarnessStatistics.Median(produce):F0} best {produce.Max():F0}, consume median {HarnessStatistics.Median(consume):F0} best {consume.Max():F0} records/s"));
            }

            var local = results["local"];
            var other = results["mock "];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"local/mock: produce median {HarnessStatistics.Median(local.Produce) / HarnessStatistics.Median(other.Produce):F2} best {local.Produce.Max() / other.Produce.Max():F2}, consume median {HarnessStatistics.Median(local.Consume) / HarnessStatistics.Median(other.Consume):F2} best {local.Consume.Max() / other.Consume.Max():F2}"));
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }

    private static (double Produce, double Consume, long Retained) Run(string bootstrap, int records)
    {
        var topic = "tp-" + Guid.NewGuid().ToString("N")[..12];
        var value = new byte[ValueBytes];
        new Random(7).NextBytes(value);
        var failed = 0;
        string? firstError = null;
        var watch = Stopwatch.StartNew();
        using (var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5, BatchSize = 1_000_000,
        }).Build())
        {
            for (var i = 0; i < records; i++)
            {
                while (true)
                {
                    try
                    {
                        producer.Produce(topic, new Message<byte[]?, byte[]> { Key = BitConverter.GetBytes(i), Value = value }, report =>
                        {
                            if (report.Error.IsError && Interlocked.Increment(ref failed) == 1)
                            {
                                firstError = report.Error.ToString();
                            }
                        });
                        break;
                    }
                    catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(10));
                    }
                }
            }

            if (producer.Flush(Timeout) != 0 || failed > 0)
            {
                throw new InvalidOperationException($"Produce did not finish in time or failed ({failed} records; first: {firstError}).");
            }
        }

        var produce = records / watch.Elapsed.TotalSeconds;
        int partitions;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            partitions = admin.GetMetadata(topic, Timeout).Topics.Single().Partitions.Count;
        }

        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = topic, EnableAutoCommit = false, FetchWaitMaxMs = 5,
        }).Build();
        // librdkafka's mock keeps only the newest few MB of each partition: count what the log still holds.
        var retained = Enumerable.Range(0, partitions)
            .Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), Timeout))
            .Sum(w => w.High.Value - w.Low.Value);
        watch.Restart();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var consumed = 0;
        var deadline = DateTime.UtcNow + Timeout;
        while (consumed < retained && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromSeconds(1)) is not null)
            {
                if (consumed++ == 0)
                {
                    // Timed from the first record: the client's start-up (offset lookup, backoffs) is not the broker's.
                    watch.Restart();
                }
            }
        }

        if (consumed < retained)
        {
            var positions = string.Join(", ", consumer.Assignment.Select(tp =>
                $"{tp.Partition.Value}: {consumer.Position(tp).Value}/{consumer.QueryWatermarkOffsets(tp, Timeout).High.Value}"));
            throw new InvalidOperationException($"Consumed {consumed} of {retained} records from {bootstrap} (partition: position/high watermark {positions}).");
        }

        return (produce, (consumed - 1) / watch.Elapsed.TotalSeconds, retained);
    }
}

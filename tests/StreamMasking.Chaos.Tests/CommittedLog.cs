using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Chaos.Tests;

/// <summary>Reads whole topics as a downstream consumer would (read_committed), and checks for open transactions.</summary>
internal static class CommittedLog
{
    internal static List<ConsumeResult<byte[]?, byte[]?>> Read(string bootstrapServers, string topic, TimeSpan timeout)
    {
        var partitions = Partitions(bootstrapServers, topic);
        var read = TopicReader.Read(
            new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = "chaos-verifier",
                IsolationLevel = IsolationLevel.ReadCommitted,
                EnableAutoCommit = false,
            },
            partitions,
            timeout,
            quiet: true);
        if (!read.ReachedEnd)
        {
            throw new TimeoutException($"reading {topic}: {read.PartitionsAtEnd} of {read.Partitions} partitions reached their end");
        }

        return read.Records;
    }

    /// <summary>
    /// Partitions whose read_committed end (the last stable offset) is behind the high watermark: a transaction is
    /// still open there.
    /// </summary>
    internal static List<string> OpenTransactions(string bootstrapServers, IEnumerable<string> topics)
    {
        using var committed = Consumer(bootstrapServers, IsolationLevel.ReadCommitted);
        using var uncommitted = Consumer(bootstrapServers, IsolationLevel.ReadUncommitted);
        var open = new List<string>();
        foreach (var topic in topics)
        {
            foreach (var partition in Partitions(bootstrapServers, topic))
            {
                var stable = committed.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High;
                var high = uncommitted.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High;
                if (stable != high)
                {
                    open.Add($"{partition}: last stable offset {stable}, high watermark {high}");
                }
            }
        }

        return open;
    }

    /// <summary>Every topic whose name starts with <paramref name="prefix"/> (outputs, internal and changelog topics).</summary>
    internal static List<string> TopicsOf(string bootstrapServers, string prefix)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        return admin.GetMetadata(TimeSpan.FromSeconds(30)).Topics.Select(t => t.Topic)
            .Where(t => t.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
    }

    internal static List<TopicPartition> Partitions(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(30));
        return metadata.Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).OrderBy(p => p.Partition.Value).ToList();
    }

    private static IConsumer<byte[]?, byte[]?> Consumer(string bootstrapServers, IsolationLevel isolation) =>
        new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "chaos-watermarks",
            IsolationLevel = isolation,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
}

using System.Diagnostics;
using Confluent.Kafka;

namespace StreamMasking.Testing;

/// <summary>Reads whole topics from the beginning with a consumer assigned to their partitions (no consumer group protocol).</summary>
public static class TopicReader
{
    /// <summary>
    /// Every record of <paramref name="topic"/> that a consumer with <paramref name="isolation"/> sees, read for at most
    /// a minute; none when the topic does not exist (it is not created).
    /// </summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrapServers, string topic, IsolationLevel isolation)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(30)).Topics.SingleOrDefault();
        if (metadata is null || metadata.Error.Code != ErrorCode.NoError || metadata.Partitions.Count == 0)
        {
            return [];
        }

        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = isolation,
            EnableAutoCommit = false,
            AllowAutoCreateTopics = false,
        };
        var partitions = metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        return Read(config, partitions, TimeSpan.FromSeconds(60), quiet: true).Records;
    }

    /// <summary>
    /// Reads <paramref name="partitions"/> from the beginning until every one reports end-of-partition (or, with
    /// <paramref name="expectedCount"/>, until that many records arrived), or <paramref name="timeout"/> passes.
    /// <paramref name="config"/> gets partition EOF turned on; the caller sets the isolation level.
    /// <paramref name="quiet"/> drops the client's log lines.
    /// </summary>
    public static TopicRead Read(
        ConsumerConfig config, IReadOnlyCollection<TopicPartition> partitions, TimeSpan timeout, int? expectedCount = null, bool quiet = false)
    {
        if (partitions.Count == 0)
        {
            return new TopicRead([], 0, 0);
        }

        config.EnablePartitionEof = true;
        var builder = new ConsumerBuilder<byte[]?, byte[]?>(config);
        if (quiet)
        {
            builder.SetLogHandler(static (_, _) => { });
        }

        using var consumer = builder.Build();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var results = new List<ConsumeResult<byte[]?, byte[]?>>();
        var atEnd = new HashSet<int>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
                if (expectedCount is null && atEnd.Count == partitions.Count)
                {
                    break;
                }

                continue;
            }

            atEnd.Remove(result.Partition.Value);
            results.Add(result);
            if (expectedCount is { } n && results.Count >= n)
            {
                break;
            }
        }

        consumer.Close();
        return new TopicRead(results, atEnd.Count, partitions.Count);
    }
}

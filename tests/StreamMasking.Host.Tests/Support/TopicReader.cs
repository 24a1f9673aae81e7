using System.Diagnostics;
using Confluent.Kafka;

namespace StreamMasking.Host.Tests.Support;

/// <summary>Reads whole topics from the beginning (partitions assigned directly, no group).</summary>
internal static class TopicReader
{
    internal static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrapServers, string topic, IsolationLevel isolation)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(30)).Topics.SingleOrDefault();
        if (metadata is null || metadata.Error.Code != ErrorCode.NoError || metadata.Partitions.Count == 0)
        {
            return [];
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            IsolationLevel = isolation,
            EnablePartitionEof = true,
            EnableAutoCommit = false,
            AllowAutoCreateTopics = false,
        }).SetLogHandler(static (_, _) => { }).Build();
        consumer.Assign(metadata.Partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
        var results = new List<ConsumeResult<byte[]?, byte[]?>>();
        var atEnd = new HashSet<int>();
        var clock = Stopwatch.StartNew();
        while (atEnd.Count < metadata.Partitions.Count && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.Partition.Value);
                continue;
            }

            atEnd.Remove(result.Partition.Value);
            results.Add(result);
        }

        consumer.Close();
        return results;
    }
}

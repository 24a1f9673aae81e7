using System.Diagnostics;
using Confluent.Kafka;

namespace StreamMasking.Testing;

/// <summary>Reads a whole topic with a consumer assigned to all partitions (no consumer group protocol).</summary>
internal static class TopicDrainer
{
    public static IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> Drain(
        KafkaCluster cluster, string topic, IsolationLevel isolation, TimeSpan timeout, int? expectedCount)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(30));
        var partitions = metadata.Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();

        var config = cluster.ConsumerConfig(c =>
        {
            c.IsolationLevel = isolation;
            c.EnablePartitionEof = true;
        });
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
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
        return results;
    }
}

using System.Text;
using Confluent.Kafka;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// The negative control: a copy of the input to a masked-looking topic with exactly-once deliberately broken — a
/// plain producer and offsets committed after the writes, outside any transaction — that "crashes" (drops its
/// clients without committing) after some batches and restarts from the committed offsets, as a killed process
/// would. The same verifier must report the duplicates this leaves visible.
/// </summary>
internal static class AtLeastOnceCopier
{
    internal static async Task CopyWithCrashesAsync(string bootstrap, ChaosTopology topology, long records, int crashEvery, CancellationToken cancel)
    {
        var target = topology.MaskedTopics.First();
        long copied = 0;
        var batches = 0;
        while (copied < records)
        {
            using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
            {
                BootstrapServers = bootstrap, GroupId = topology.Prefix + ".copier", EnableAutoCommit = false,
                AutoOffsetReset = AutoOffsetReset.Earliest, IsolationLevel = IsolationLevel.ReadCommitted,
            }).SetLogHandler((_, _) => { }).Build();
            using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap })
                .SetLogHandler((_, _) => { }).Build();
            consumer.Subscribe(topology.InputTopic);
            var crashed = false;
            while (!crashed && copied < records)
            {
                cancel.ThrowIfCancellationRequested();
                var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
                while (batch.Count < 50 && consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
                {
                    batch.Add(result);
                }

                foreach (var r in batch)
                {
                    var headers = new Headers
                    {
                        { "sm-source-topic", Encoding.UTF8.GetBytes(r.Topic) },
                        { "sm-source-partition", Encoding.UTF8.GetBytes(r.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                        { "sm-source-offset", Encoding.UTF8.GetBytes(r.Offset.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                    };
                    await producer.ProduceAsync(target, new Message<byte[]?, byte[]?> { Value = r.Message.Value, Headers = headers }, cancel);
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                // Written, not yet committed: a crash here makes the restart copy the batch again.
                if (++batches % crashEvery == 0)
                {
                    crashed = true;
                    continue;
                }

                consumer.Commit(batch.GroupBy(r => r.TopicPartition).Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)));
                copied += batch.Count;
            }

            consumer.Close();
        }
    }
}

using System.Text;
using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Broker.Tests.Integration;

[Collection(KafkaCluster.Collection)]
public sealed class CompactionTests(KafkaCluster cluster)
{
    [SkippableFact]
    public async Task CompactedTopic_CleanerRun_KeepsLatestValuePerKey()
    {
        // Needs the local broker to trigger the cleaner deterministically (real Kafka cleans on its own schedule).
        Skip.IfNot(cluster.SupportsFaultInjection, cluster.FaultInjectionSkipReason);
        var topic = await cluster.CreateTopicAsync(partitions: 1, configs: new Dictionary<string, string>
        {
            ["cleanup.policy"] = "compact",
            ["segment.bytes"] = "1024",
        });
        for (var round = 0; round < 5; round++)
        {
            await cluster.ProduceAsync(topic, Enumerable.Range(0, 10).Select(k => new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes($"key-{k}"),
                Value = Encoding.UTF8.GetBytes($"round-{round}"),
            }), c => c.CompressionType = round % 2 == 0 ? CompressionType.Gzip : CompressionType.None);
        }

        await cluster.ProduceAsync(topic, [new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes("key-0"), Value = null }]);
        // Roll past the tombstone so that everything above is in closed segments.
        await cluster.ProduceAsync(topic, Enumerable.Range(0, 30).Select(i => new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes($"filler-{i}"),
            Value = new byte[64],
        }));
        cluster.LocalBroker!.RunLogCleanerOnce();

        var records = cluster.DrainCommitted(topic);
        var latest = records.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key!)).ToDictionary(g => g.Key, g => g.ToList());
        for (var k = 1; k < 10; k++)
        {
            var versions = latest[$"key-{k}"];
            versions.ShouldHaveSingleItem();
            Encoding.UTF8.GetString(versions[0].Message.Value!).ShouldBe("round-4");
        }

        // The tombstone is younger than delete.retention.ms (1 day by default): it stays, older key-0 values are gone.
        latest["key-0"].ShouldHaveSingleItem().Message.Value.ShouldBeNull();
        records.Select(r => r.Offset.Value).ShouldBeInOrder();
    }
}

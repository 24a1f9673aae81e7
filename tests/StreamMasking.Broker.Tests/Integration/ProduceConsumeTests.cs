using System.Text;
using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Broker.Tests.Integration;

[Collection(KafkaCluster.Collection)]
public sealed class ProduceConsumeTests(KafkaCluster cluster)
{
    private static Message<byte[]?, byte[]?> Message(int i, string? key = null) => new()
    {
        Key = key is null ? null : Encoding.UTF8.GetBytes(key),
        Value = Encoding.UTF8.GetBytes($"value-{i}"),
        Headers = new Headers { { "h", Encoding.UTF8.GetBytes($"header-{i}") } },
    };

    [Fact]
    public async Task ProduceConsume_KeysHeadersAcrossPartitions_RoundTripsInOrderPerPartition()
    {
        var topic = await cluster.CreateTopicAsync(partitions: 4);
        var messages = Enumerable.Range(0, 200).Select(i => Message(i, $"key-{i % 17}")).ToList();
        var reports = await cluster.ProduceAsync(topic, messages);
        reports.ShouldAllBe(r => r.Status == PersistenceStatus.Persisted);
        reports.Select(r => r.Partition.Value).Distinct().Count().ShouldBeGreaterThan(1);

        var consumed = cluster.DrainCommitted(topic);
        consumed.Count.ShouldBe(200);
        foreach (var result in consumed)
        {
            var i = int.Parse(Encoding.UTF8.GetString(result.Message.Value!)["value-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Encoding.UTF8.GetString(result.Message.Key!).ShouldBe($"key-{i % 17}");
            Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes("h")).ShouldBe($"header-{i}");
        }

        // Same key -> same partition, and offsets are dense and ordered per partition.
        consumed.GroupBy(r => Encoding.UTF8.GetString(r.Message.Key!)).ShouldAllBe(g => g.Select(r => r.Partition.Value).Distinct().Count() == 1);
        foreach (var partition in consumed.GroupBy(r => r.Partition.Value))
        {
            partition.Select(r => r.Offset.Value).ShouldBe(Enumerable.Range(0, partition.Count()).Select(o => (long)o));
        }
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task ProduceConsume_CompressionCodec_RoundTrips(CompressionType codec)
    {
        var topic = await cluster.CreateTopicAsync(partitions: 2);
        var messages = Enumerable.Range(0, 300).Select(i => Message(i, $"k{i}")).ToList();
        await cluster.ProduceAsync(topic, messages, c => c.CompressionType = codec);
        var consumed = cluster.DrainCommitted(topic);
        consumed.Select(r => Encoding.UTF8.GetString(r.Message.Value!)).Order().ShouldBe(messages.Select(m => Encoding.UTF8.GetString(m.Value!)).Order());
    }

    [Fact]
    public async Task ProduceConsume_NullKeyAndNullValue_ArePreserved()
    {
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        await cluster.ProduceAsync(topic, [new Message<byte[]?, byte[]?> { Key = null, Value = null }, new Message<byte[]?, byte[]?> { Key = [1], Value = [] }]);
        var consumed = cluster.DrainCommitted(topic);
        consumed.Count.ShouldBe(2);
        consumed[0].Message.Key.ShouldBeNull();
        consumed[0].Message.Value.ShouldBeNull();
        consumed[1].Message.Key.ShouldBe(new byte[] { 1 });
        consumed[1].Message.Value.ShouldBeEmpty();
    }

    [Fact]
    public async Task QueryWatermarks_AfterProduce_ReportsLogEnd()
    {
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        await cluster.ProduceAsync(topic, Enumerable.Range(0, 5).Select(i => Message(i)));
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(cluster.ConsumerConfig()).Build();
        var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(30));
        marks.Low.Value.ShouldBe(0);
        marks.High.Value.ShouldBe(5);
    }

    [Fact]
    public async Task OffsetsForTimes_Timestamp_FindsFirstLaterRecord()
    {
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        await cluster.ProduceAsync(topic, Enumerable.Range(0, 3).Select(i => new Message<byte[]?, byte[]?>
        {
            Value = [(byte)i],
            Timestamp = new Timestamp(1_000_000 + (i * 1000), TimestampType.CreateTime),
        }));
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(cluster.ConsumerConfig()).Build();
        var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(1_001_500, TimestampType.CreateTime))], TimeSpan.FromSeconds(30));
        found.Single().Offset.Value.ShouldBe(2);
    }

    [Fact]
    public async Task AdminClient_DescribeConfigsAndDeleteTopic_Work()
    {
        var topic = await cluster.CreateTopicAsync(partitions: 1, configs: new Dictionary<string, string> { ["cleanup.policy"] = "compact" });
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var described = await admin.DescribeConfigsAsync([new Confluent.Kafka.Admin.ConfigResource { Type = Confluent.Kafka.Admin.ResourceType.Topic, Name = topic }]);
        described.Single().Entries["cleanup.policy"].Value.ShouldBe("compact");

        var duplicate = await Should.ThrowAsync<Confluent.Kafka.Admin.CreateTopicsException>(() => cluster.CreateTopicAsync(topic, 1));
        duplicate.Results.Single().Error.Code.ShouldBe(ErrorCode.TopicAlreadyExists);

        await admin.DeleteTopicsAsync([topic]);
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(30));
        metadata.Topics.ShouldNotContain(t => t.Topic == topic);
    }

    [Fact]
    public async Task LogAppendTimeTopic_ClientTimestamp_IsReplacedByBrokerTime()
    {
        var topic = await cluster.CreateTopicAsync(partitions: 1, configs: new Dictionary<string, string> { ["message.timestamp.type"] = "LogAppendTime" });
        var before = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        var reports = await cluster.ProduceAsync(topic, [new Message<byte[]?, byte[]?> { Value = [1], Timestamp = new Timestamp(1000, TimestampType.CreateTime) }]);
        reports.Single().Timestamp.Type.ShouldBe(TimestampType.LogAppendTime);
        var consumed = cluster.DrainCommitted(topic).ShouldHaveSingleItem();
        consumed.Message.Timestamp.Type.ShouldBe(TimestampType.LogAppendTime);
        consumed.Message.Timestamp.UnixTimestampMs.ShouldBeGreaterThan(before);
    }

    [Fact]
    public async Task AcksZero_FireAndForget_RecordsArrive()
    {
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        await cluster.ProduceAsync(topic, Enumerable.Range(0, 20).Select(i => Message(i)), c => c.Acks = Acks.None);
        cluster.DrainCommitted(topic, expectedCount: 20).Count.ShouldBe(20);
    }

    [Fact]
    public async Task AdminClient_DescribeCluster_ListsTheBroker()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var description = await admin.DescribeClusterAsync();
        description.Nodes.ShouldNotBeEmpty();
        description.ClusterId.ShouldNotBeNullOrEmpty();
        description.Nodes.ShouldContain(n => cluster.BootstrapServers.EndsWith($":{n.Port}", StringComparison.Ordinal) || cluster.Kind != KafkaClusterKind.Local);
    }
}

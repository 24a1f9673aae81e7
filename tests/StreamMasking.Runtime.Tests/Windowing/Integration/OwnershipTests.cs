using System.Diagnostics;
using System.Text.Json;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Hosting;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Windowing;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Windowing.Integration;

/// <summary>
/// DP state ownership is checked, not assumed: a partition count change under existing state, or a segment-keyed
/// input where one segment arrives on two partitions, stops the mask stage with a message naming the topic and the
/// segment (and an audit event) instead of giving the segment a second ledger.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class OwnershipTests(KafkaCluster cluster)
{
    [Fact]
    public async Task RunAsync_RepartitionTopicRecreatedWithOtherPartitionCount_StopsNamingTopicAndSegment()
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits());
        var input = DpPolicies.StandardScenario();
        using (var first = fixture.CreatePipeline())
        {
            await first.ProvisionTopicsAsync(CancellationToken.None);
            await fixture.ProduceAsync(input.Take(11));
            var s = await DpPipelineFixture.RunUntilAsync(first, 11, 6);
            s.Releases.ShouldBeGreaterThanOrEqualTo(6);
        }

        var repartition = fixture.Options.Pipeline.RepartitionTopic;
        await RecreateAsync(repartition, partitions: 5);
        await fixture.ProduceAsync(input.Skip(11));
        using var second = fixture.CreatePipeline();

        var stopped = await Should.ThrowAsync<StageStoppedException>(() => RunUntilStoppedAsync(second));

        stopped.Message.ShouldContain($"Topic '{repartition}' has 5 partitions but its DP state was kept for 3");
        stopped.Message.ShouldContain("'visits' (partition");
        var audit = OwnershipEvents(fixture).ShouldHaveSingleItem();
        audit.GetProperty("reason").GetString().ShouldBe(OwnershipViolation.PartitionCountChanged);
        audit.GetProperty("topic").GetString().ShouldBe(repartition);
        audit.GetProperty("segment").GetString().ShouldBe("visits");
        fixture.Logs.Lines.Count(l => l.Contains("DP state ownership violated", StringComparison.Ordinal)).ShouldBe(1);
        // Nothing was released under a fresh ledger.
        second.Counters.Snapshot().Releases.ShouldBe(0);
    }

    [Fact]
    public async Task RunAsync_KeyedInputWithSegmentOnTwoPartitions_StopsBeforePublishingTheStrayRecord()
    {
        using var fixture = new DpPipelineFixture(cluster, DpPolicies.Visits());
        fixture.Options.Pipeline.InputKeyedBySegment = true;
        var home = SegmentPartitioner.PartitionOf("visits", 3);
        var stray = (home + 1) % 3;
        var input = DpPolicies.StandardScenario();
        foreach (var message in input)
        {
            message.Key = Encoding.UTF8.GetBytes("visits");
        }

        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        // The normal path: the segment's records on the partition its key maps to are processed and published.
        await ProduceAsync(fixture.InputTopic, home, input.Take(4));
        using (var stop = new CancellationTokenSource())
        {
            var run = pipeline.RunAsync(stop.Token);
            await DpPipelineFixture.WaitAsync(pipeline, run, 4, 0);
            await stop.CancelAsync();
            await run;
        }

        fixture.Masked("visits").Count.ShouldBe(4); // P1 × 4: the fourth is over the cap of 3 and published stripped
        await ProduceAsync(fixture.InputTopic, stray, input.Skip(4).Take(1));
        using var second = fixture.CreatePipeline();

        var stopped = await Should.ThrowAsync<StageStoppedException>(() => RunUntilStoppedAsync(second));

        stopped.Message.ShouldContain($"Segment 'visits' showed up on partition {stray} of topic '{fixture.InputTopic}'");
        stopped.Message.ShouldContain($"its key belongs to partition {home} of 3");
        OwnershipEvents(fixture).ShouldHaveSingleItem().GetProperty("reason").GetString().ShouldBe(OwnershipViolation.SegmentOnWrongPartition);
        fixture.Masked("visits").Count.ShouldBe(4);
        fixture.Masked("visits").ShouldAllBe(r => Header(r, RecordHeaders.SourcePartition) == home.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SegmentPartitioner_MatchesThePipelinesProducer()
    {
        var topic = await cluster.CreateTopicAsync(partitions: 7);
        var clients = new KafkaClientFactory(new StreamMasking.Runtime.Configuration.KafkaOptions { BootstrapServers = cluster.BootstrapServers },
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var producer = clients.CreateProducer("partitioner-test");
        foreach (var segment in new[] { "visits", "payments", "clinic-a.eu.visits", "ä", "x", "segment-with-a-long-name-0123456789" })
        {
            var delivered = await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(segment), Value = [1] });
            delivered.Partition.Value.ShouldBe(SegmentPartitioner.PartitionOf(segment, 7), segment);
        }
    }

    private static string? Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    // Runs until the pipeline stops by itself (bounded generously: a busy machine is slow, never fast).
    private static async Task RunUntilStoppedAsync(MaskingPipeline pipeline)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var clock = Stopwatch.StartNew();
        await pipeline.RunAsync(timeout.Token);
        throw new InvalidOperationException($"The pipeline ran {clock.Elapsed} without stopping.");
    }

    private static List<JsonElement> OwnershipEvents(DpPipelineFixture fixture) => fixture.AuditEvents()
        .Where(e => e.GetProperty("type").GetString() == AuditEventTypes.OwnershipViolated)
        .Select(e => e.GetProperty("data"))
        .ToList();

    private async Task ProduceAsync(string topic, int partition, IEnumerable<Message<byte[]?, byte[]?>> messages)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig(c => c.EnableIdempotence = true)).Build();
        foreach (var message in messages)
        {
            await producer.ProduceAsync(new TopicPartition(topic, partition), message);
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    private async Task RecreateAsync(string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        await admin.DeleteTopicsAsync([topic]);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
                return;
            }
            catch (CreateTopicsException) when (clock.Elapsed < TimeSpan.FromMinutes(1))
            {
                // Deletion completes asynchronously on a real cluster.
                await Task.Delay(200);
            }
        }
    }
}

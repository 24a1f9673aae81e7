using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>Stage "mask" deletes the raw records of the repartition topic below its committed offsets.</summary>
[Collection(KafkaCluster.Collection)]
public sealed class RepartitionPurgeTests(KafkaCluster cluster)
{
    private const int Total = PipelineFixture.PerSegment * 3 + PipelineFixture.Unmatched + PipelineFixture.Malformed;

    [Fact]
    public async Task RunAsync_Drained_RepartitionPartitionsPurgedUpToCommittedOffsetsNothingLost()
    {
        var fixture = new PipelineFixture(cluster);
        fixture.Options.Pipeline.RepartitionPurgeInterval = TimeSpan.Zero;
        using var pipeline = fixture.CreatePipeline();
        await fixture.ProduceInputAsync(pipeline, fixture.Input());

        var snapshot = await PipelineFixture.RunUntilDrainedAsync(pipeline, Total);

        snapshot.Consumed.ShouldBe(Total);
        snapshot.IsBalanced.ShouldBeTrue(snapshot.ToString());
        var topic = fixture.Options.Pipeline.RepartitionTopic;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(cluster.ConsumerConfig(c => c.GroupId = $"{fixture.Prefix}.mask")).Build();
        var partitions = Enumerable.Range(0, fixture.Options.Topics.Partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(30));
        committed.Where(c => c.Offset.Value > 0).ShouldNotBeEmpty();
        foreach (var c in committed.Where(c => c.Offset.Value > 0))
        {
            // The purge after the last commit may still be in flight when the pipeline stopped: the stop waits for it.
            var low = consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(30)).Low.Value;
            low.ShouldBe(c.Offset.Value, $"partition {c.Partition.Value}");
        }
    }
}

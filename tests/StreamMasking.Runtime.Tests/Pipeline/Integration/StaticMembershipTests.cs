using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>Stage consumers are static group members named after the instance id (KIP-345).</summary>
[Collection(KafkaCluster.Collection)]
public sealed class StaticMembershipTests(KafkaCluster cluster)
{
    private const int Total = PipelineFixture.PerSegment * 3 + PipelineFixture.Unmatched + PipelineFixture.Malformed;

    [Fact]
    public async Task RunAsync_RestartWithSameInstanceId_TakesBackItsMembershipWithoutANewMember()
    {
        var fixture = new PipelineFixture(cluster);
        // Longer than any wait below: a restart that had to wait for the old session would not finish.
        fixture.Options.Kafka.Properties["session.timeout.ms"] = "240000";
        using (var first = fixture.CreatePipeline())
        {
            await fixture.ProduceInputAsync(first, fixture.Input());
            await PipelineFixture.RunUntilDrainedAsync(first, Total);
        }

        // A static member sends no LeaveGroup: the broker keeps its place (and assignment) for the restart.
        var stopped = await DescribeAsync(fixture);
        foreach (var (stage, group) in stopped)
        {
            group.State.ShouldBe(ConsumerGroupState.Stable, stage);
            group.Members.Select(m => m.GroupInstanceId).ShouldBe([$"{fixture.Prefix}.{stage}.i1"], stage);
        }

        using var restarted = fixture.CreatePipeline();
        await fixture.ProduceInputAsync(restarted, fixture.Input());
        var snapshot = await PipelineFixture.RunUntilDrainedAsync(restarted, Total);

        snapshot.Consumed.ShouldBe(Total);
        var after = await DescribeAsync(fixture);
        foreach (var (stage, group) in after)
        {
            group.State.ShouldBe(ConsumerGroupState.Stable, stage);
            var member = group.Members.ShouldHaveSingleItem(stage);
            member.GroupInstanceId.ShouldBe($"{fixture.Prefix}.{stage}.i1");
            member.ConsumerId.ShouldNotBe(stopped[stage].Members[0].ConsumerId, "a new incarnation replaced the old one");
            member.Assignment.TopicPartitions.Count.ShouldBe(fixture.Options.Topics.Partitions, stage);
        }
    }

    private async Task<Dictionary<string, ConsumerGroupDescription>> DescribeAsync(PipelineFixture fixture)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var stages = new[] { "route", "mask" };
        var described = await admin.DescribeConsumerGroupsAsync(stages.Select(s => $"{fixture.Prefix}.{s}").ToList());
        return stages.ToDictionary(s => s, s => described.ConsumerGroupDescriptions.Single(d => d.GroupId == $"{fixture.Prefix}.{s}"));
    }
}

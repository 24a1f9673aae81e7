using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace StreamMasking.Broker.Tests.Groups;

/// <summary>ListGroups, DescribeGroups and DeleteGroups through Confluent's AdminClient.</summary>
public sealed class GroupAdminTests : IAsyncLifetime
{
    private CoordinatorTestBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await CoordinatorTestBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task AdminClient_ActiveAndEmptyGroups_ListedDescribedAndDeletable()
    {
        var topic = await _broker.CreateTopicAsync(2);
        var active = "active-" + Guid.NewGuid();
        var empty = "empty-" + Guid.NewGuid();
        using (var committer = new ConsumerBuilder<string, string>(_broker.ConsumerConfig(empty)).Build())
        {
            committer.Commit([new TopicPartitionOffset(topic, 0, 1)]);
        }

        using var member = new PolledConsumer(_broker.ConsumerConfig(active), topic);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _broker.BootstrapServers }).Build();
        var deadline = DateTime.UtcNow + CoordinatorTestBroker.Timeout;
        while (member.Assigned.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var listed = (await admin.ListConsumerGroupsAsync()).Valid.ToDictionary(g => g.GroupId);
        listed[active].State.ShouldBe(ConsumerGroupState.Stable);
        listed[empty].State.ShouldBe(ConsumerGroupState.Empty);

        var described = (await admin.DescribeConsumerGroupsAsync([active])).ConsumerGroupDescriptions.Single();
        described.State.ShouldBe(ConsumerGroupState.Stable);
        described.PartitionAssignor.ShouldBe("range");
        described.Members.ShouldHaveSingleItem().Assignment.TopicPartitions.Count.ShouldBe(2);

        await admin.DeleteGroupsAsync([empty]);
        var error = await Should.ThrowAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync([active]));
        error.Results.Single().Error.Code.ShouldBe(ErrorCode.NonEmptyGroup);
        (await admin.ListConsumerGroupsAsync()).Valid.Select(g => g.GroupId).ShouldNotContain(empty);
    }
}

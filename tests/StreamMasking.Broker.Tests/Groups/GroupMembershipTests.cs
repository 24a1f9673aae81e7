using Confluent.Kafka;

namespace StreamMasking.Broker.Tests.Groups;

/// <summary>Consumer groups with Confluent.Kafka: assignment, leave, crash (session timeout), cooperative rebalancing.</summary>
public sealed class GroupMembershipTests : IAsyncLifetime
{
    private CoordinatorTestBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await CoordinatorTestBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Subscribe_ThreeConsumersThenLeaveAndCrash_PartitionsSplitAndMove()
    {
        var topic = await _broker.CreateTopicAsync(6);
        var config = _broker.ConsumerConfig("members-" + Guid.NewGuid());
        using var a = new PolledConsumer(config, topic);
        using var b = new PolledConsumer(config, topic);
        using var c = new PolledConsumer(config, topic);
        await WaitForAsync(() => Covers([a, b, c], 6) && a.Assigned.Count == 2 && b.Assigned.Count == 2);

        b.Close();
        await WaitForAsync(() => Covers([a, c], 6));

        // Crash: c's LeaveGroup is lost, so only its session timeout (6 s) can move its partitions.
        _broker.Broker.Faults.InjectErrors((short)StreamMasking.Broker.Protocol.ApiKey.LeaveGroup, (short)StreamMasking.Broker.Protocol.ErrorCode.CoordinatorNotAvailable, 1);
        c.Dispose();
        await WaitForAsync(() => a.Assigned.Count == 6);
    }

    [Fact]
    public async Task Subscribe_CooperativeSticky_SecondMemberTakesHalfWithoutRevokingTheRest()
    {
        var topic = await _broker.CreateTopicAsync(6);
        var config = _broker.ConsumerConfig("coop-" + Guid.NewGuid());
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        using var a = new PolledConsumer(config, topic);
        await WaitForAsync(() => a.Assigned.Count == 6);

        using var b = new PolledConsumer(config, topic);
        await WaitForAsync(() => a.Assigned.Count == 3 && b.Assigned.Count == 3 && Covers([a, b], 6));

        // Incremental protocol: only the three partitions that moved were revoked, nothing was lost.
        a.RevokedCount.ShouldBe(3);
        a.LostCount.ShouldBe(0);
    }

    [Fact]
    public async Task Subscribe_StaticMemberRestarts_TakesOverItsOldIdentityWithoutWaitingForSessionTimeout()
    {
        var topic = await _broker.CreateTopicAsync(4);
        var groupId = "static-" + Guid.NewGuid();
        ConsumerConfig Static(string instance)
        {
            var config = _broker.ConsumerConfig(groupId);
            config.GroupInstanceId = instance;
            config.SessionTimeoutMs = 120_000;
            config.MaxPollIntervalMs = 120_000;
            return config;
        }

        using var a = new PolledConsumer(Static("instance-a"), topic);
        using var b = new PolledConsumer(Static("instance-b"), topic);
        await WaitForAsync(() => Covers([a, b], 4) && a.Assigned.Count == 2);

        // A static member does not send LeaveGroup on close; its restart must replace it, not wait 120 s for its session.
        a.Close();
        using var restarted = new PolledConsumer(Static("instance-a"), topic);
        await WaitForAsync(() => Covers([restarted, b], 4) && restarted.Assigned.Count == 2);
    }

    private static bool Covers(IReadOnlyList<PolledConsumer> consumers, int partitions)
    {
        var sets = consumers.Select(c => c.Assigned).ToList();
        var all = sets.SelectMany(s => s).ToList();
        return all.Count == partitions && all.Distinct().Count() == partitions;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + CoordinatorTestBroker.Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Condition not reached.");
            }

            await Task.Delay(100);
        }
    }
}

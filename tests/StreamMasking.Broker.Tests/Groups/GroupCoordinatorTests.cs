using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Broker.Groups;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Tests.Groups;

/// <summary>The classic group state machine, driven directly with a manual clock.</summary>
public sealed class GroupCoordinatorTests : IDisposable
{
    private const string Group = "g";

    // A static rejoin answers at once; a rebalance would park it until every other member rejoined (never, here).
    private static readonly TimeSpan NoRebalance = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly GroupCoordinator _coordinator;

    public GroupCoordinatorTests() =>
        _coordinator = new GroupCoordinator(
            new GroupCoordinatorOptions { InitialRebalanceDelayMs = 0, ExpirationCheckIntervalMs = 3_600_000 },
            new GroupOffsetStore(null), new AllPartitionsExist(), _clock, NullLogger.Instance);

    public void Dispose() => _coordinator.Dispose();

    [Fact]
    public async Task JoinGroup_NewMemberV4_GetsMemberIdRequiredThenJoinsAsLeader()
    {
        var first = await _coordinator.JoinGroupAsync(Join(string.Empty));
        first.ErrorCode.ShouldBe(ErrorCode.MemberIdRequired);
        first.MemberId.ShouldNotBeEmpty();

        var joined = await _coordinator.JoinGroupAsync(Join(first.MemberId));

        joined.ErrorCode.ShouldBe(ErrorCode.None);
        joined.GenerationId.ShouldBe(1);
        joined.LeaderId.ShouldBe(first.MemberId);
        joined.ProtocolName.ShouldBe("range");
        joined.Members.Select(m => m.MemberId).ShouldBe([first.MemberId]);
    }

    [Fact]
    public async Task SyncGroup_LeaderAssigns_EveryMemberGetsItsShare()
    {
        var a = await JoinNewAsync();
        var b = _coordinator.JoinGroupAsync(Join(string.Empty, requireKnown: false));

        // A second member arrived after generation 1: the first must rejoin, which completes generation 2.
        _coordinator.Heartbeat(Group, a.GenerationId, a.MemberId, null).ShouldBe(ErrorCode.RebalanceInProgress);
        var aRejoin = await _coordinator.JoinGroupAsync(Join(a.MemberId));
        var bJoined = await b;
        aRejoin.GenerationId.ShouldBe(2);
        bJoined.GenerationId.ShouldBe(2);
        var leader = aRejoin.Members.Count > 0 ? aRejoin : bJoined;
        var follower = leader == aRejoin ? bJoined : aRejoin;
        leader.Members.Count.ShouldBe(2);
        follower.Members.ShouldBeEmpty();

        var followerSync = _coordinator.SyncGroupAsync(Group, 2, follower.MemberId, null, null, null, new Dictionary<string, byte[]>());
        followerSync.IsCompleted.ShouldBeFalse();
        var leaderSync = await _coordinator.SyncGroupAsync(Group, 2, leader.MemberId, null, "consumer", "range",
            new Dictionary<string, byte[]> { [leader.MemberId] = [1], [follower.MemberId] = [2] });

        leaderSync.Assignment.ShouldBe(new byte[] { 1 });
        (await followerSync).Assignment.ShouldBe(new byte[] { 2 });
        _coordinator.Heartbeat(Group, 2, follower.MemberId, null).ShouldBe(ErrorCode.None);
        _coordinator.DescribeGroups([Group])[0].State.ShouldBe("Stable");
    }

    [Fact]
    public async Task Heartbeat_WrongGenerationOrUnknownMember_IsRejected()
    {
        var a = await JoinNewAsync();
        await SyncAsync(a);

        _coordinator.Heartbeat(Group, a.GenerationId + 1, a.MemberId, null).ShouldBe(ErrorCode.IllegalGeneration);
        _coordinator.Heartbeat(Group, a.GenerationId, "nobody", null).ShouldBe(ErrorCode.UnknownMemberId);
    }

    [Fact]
    public async Task Sweep_MemberStopsHeartbeating_IsRemovedAndGroupRebalances()
    {
        var a = await JoinNewAsync();
        await SyncAsync(a);
        var b = _coordinator.JoinGroupAsync(Join(string.Empty, requireKnown: false));
        var aRejoin = await _coordinator.JoinGroupAsync(Join(a.MemberId));
        var bJoined = await b;
        var leader = aRejoin.Members.Count > 0 ? aRejoin : bJoined;
        await _coordinator.SyncGroupAsync(Group, leader.GenerationId, leader.MemberId, null, null, null, new Dictionary<string, byte[]>());

        // Only b keeps heartbeating; a's session (10 s) runs out.
        _clock.Advance(TimeSpan.FromSeconds(6));
        _coordinator.Heartbeat(Group, bJoined.GenerationId, bJoined.MemberId, null).ShouldBe(ErrorCode.None);
        _clock.Advance(TimeSpan.FromSeconds(6));
        _coordinator.Sweep();

        _coordinator.Heartbeat(Group, bJoined.GenerationId, bJoined.MemberId, null).ShouldBe(ErrorCode.RebalanceInProgress);
        var bRejoin = await _coordinator.JoinGroupAsync(Join(bJoined.MemberId));
        bRejoin.GenerationId.ShouldBe(bJoined.GenerationId + 1);
        bRejoin.LeaderId.ShouldBe(bJoined.MemberId);
        bRejoin.Members.Select(m => m.MemberId).ShouldBe([bJoined.MemberId]);
    }

    [Fact]
    public async Task Sweep_MemberNeverRejoins_RemovedAtRebalanceTimeout()
    {
        var a = await JoinNewAsync();
        await SyncAsync(a);
        var b = _coordinator.JoinGroupAsync(Join(string.Empty, requireKnown: false));
        b.IsCompleted.ShouldBeFalse();

        // a keeps heartbeating but ignores REBALANCE_IN_PROGRESS; the rebalance timeout (30 s) completes the join without it.
        for (var i = 0; i < 7; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            _coordinator.Heartbeat(Group, a.GenerationId, a.MemberId, null);
            _coordinator.Sweep();
        }

        var joined = await b;
        joined.ErrorCode.ShouldBe(ErrorCode.None);
        joined.Members.Select(m => m.MemberId).ShouldBe([joined.MemberId]);
        _coordinator.Heartbeat(Group, a.GenerationId, a.MemberId, null).ShouldBe(ErrorCode.UnknownMemberId);
    }

    [Fact]
    public async Task LeaveGroup_LastMember_GroupBecomesEmpty()
    {
        var a = await JoinNewAsync();
        await SyncAsync(a);

        _coordinator.LeaveGroup(Group, [(a.MemberId, null)]).ShouldBe([ErrorCode.None]);

        _coordinator.CommitOffsets(Group, -1, string.Empty, null, [new(new("t", 0), new CommittedOffset(1, -1, null, 0))]).ShouldBe([ErrorCode.None]);
        _coordinator.DescribeGroups([Group])[0].State.ShouldBe("Empty");
        _coordinator.LeaveGroup(Group, [(a.MemberId, null)]).ShouldBe([ErrorCode.UnknownMemberId]);
    }

    [Fact]
    public async Task LeaveGroup_LastMemberOfGroupWithoutOffsets_GroupIsForgotten()
    {
        var a = await JoinNewAsync();
        await SyncAsync(a);
        _coordinator.LeaveGroup(Group, [(a.MemberId, null)]);

        _coordinator.DescribeGroups([Group])[0].State.ShouldBe("Dead");
        _coordinator.ListGroups([]).ShouldBeEmpty();
    }

    [Fact]
    public async Task Sweep_MemberIdRequiredButNeverRejoined_GroupIsForgotten()
    {
        (await _coordinator.JoinGroupAsync(Join(string.Empty))).ErrorCode.ShouldBe(ErrorCode.MemberIdRequired);
        _coordinator.ListGroups([]).ShouldHaveSingleItem();

        _clock.Advance(TimeSpan.FromSeconds(11));
        _coordinator.Sweep();

        _coordinator.ListGroups([]).ShouldBeEmpty();
    }

    [Fact]
    public async Task JoinGroup_ProtocolsDiffer_SelectsOneAllSupportOrRejects()
    {
        var a = await JoinNewAsync(protocols: ["cooperative-sticky", "range"]);
        await SyncAsync(a);
        var b = _coordinator.JoinGroupAsync(Join(string.Empty, requireKnown: false, protocols: ["range"]));
        var aRejoin = await _coordinator.JoinGroupAsync(Join(a.MemberId, protocols: ["cooperative-sticky", "range"]));
        (await b).ProtocolName.ShouldBe("range");
        aRejoin.ProtocolName.ShouldBe("range");

        var c = await _coordinator.JoinGroupAsync(Join(string.Empty, requireKnown: false, protocols: ["roundrobin"]));
        c.ErrorCode.ShouldBe(ErrorCode.InconsistentGroupProtocol);
    }

    [Fact]
    public async Task JoinGroup_StaticMemberRestarts_OldIncarnationFenced()
    {
        var first = await _coordinator.JoinGroupAsync(Join(string.Empty, instanceId: "instance-1"));
        first.ErrorCode.ShouldBe(ErrorCode.None);
        await SyncAsync(first);

        var second = await _coordinator.JoinGroupAsync(Join(string.Empty, instanceId: "instance-1"));

        second.ErrorCode.ShouldBe(ErrorCode.None);
        second.MemberId.ShouldNotBe(first.MemberId);
        _coordinator.Heartbeat(Group, second.GenerationId, first.MemberId, "instance-1").ShouldBe(ErrorCode.FencedInstanceId);
    }

    [Fact]
    public async Task JoinGroup_StaticMemberRestartsInStableGroup_KeepsGenerationAndAssignmentWithoutRebalance()
    {
        var (a, b) = await StableStaticPairAsync();

        var restarted = await _coordinator.JoinGroupAsync(Join(string.Empty, instanceId: "instance-b")).WaitAsync(NoRebalance);

        restarted.ErrorCode.ShouldBe(ErrorCode.None);
        restarted.GenerationId.ShouldBe(b.GenerationId, "no new generation");
        restarted.MemberId.ShouldNotBe(b.MemberId);
        restarted.LeaderId.ShouldBe(a.MemberId);
        restarted.Members.ShouldBeEmpty();
        var sync = await _coordinator.SyncGroupAsync(Group, restarted.GenerationId, restarted.MemberId, "instance-b", null, null,
            new Dictionary<string, byte[]>());
        sync.ErrorCode.ShouldBe(ErrorCode.None);
        sync.Assignment.ShouldBe(new byte[] { 2 }, "the assignment of the previous incarnation");
        // The other member is not asked to rejoin, and the old incarnation is fenced.
        _coordinator.Heartbeat(Group, a.GenerationId, a.MemberId, "instance-a").ShouldBe(ErrorCode.None);
        _coordinator.Heartbeat(Group, b.GenerationId, b.MemberId, "instance-b").ShouldBe(ErrorCode.FencedInstanceId);
        var offsets = new List<KeyValuePair<TopicPartitionKey, CommittedOffset>> { new(new("t", 0), new CommittedOffset(5, -1, null, 0)) };
        _coordinator.CommitOffsets(Group, b.GenerationId, b.MemberId, "instance-b", offsets).ShouldBe([ErrorCode.FencedInstanceId]);
        _coordinator.CommitOffsets(Group, restarted.GenerationId, restarted.MemberId, "instance-b", offsets).ShouldBe([ErrorCode.None]);
    }

    [Fact]
    public async Task JoinGroup_StaticLeaderRestartsInStableGroup_IsNotToldToAssign()
    {
        var (a, _) = await StableStaticPairAsync();

        var restarted = await _coordinator.JoinGroupAsync(Join(string.Empty, instanceId: "instance-a")).WaitAsync(NoRebalance);

        restarted.GenerationId.ShouldBe(a.GenerationId);
        restarted.LeaderId.ShouldBe(a.MemberId, "the old leader id, so the new incarnation acts as a follower");
        restarted.LeaderId.ShouldNotBe(restarted.MemberId);
        var sync = await _coordinator.SyncGroupAsync(Group, restarted.GenerationId, restarted.MemberId, "instance-a", null, null,
            new Dictionary<string, byte[]>());
        sync.Assignment.ShouldBe(new byte[] { 1 });
    }

    [Fact]
    public async Task LeaveGroup_StaticMemberByInstanceId_StaleMemberIdFencedCurrentOneLeaves()
    {
        var (a, b) = await StableStaticPairAsync();
        var restarted = await _coordinator.JoinGroupAsync(Join(string.Empty, instanceId: "instance-b")).WaitAsync(NoRebalance);

        _coordinator.LeaveGroup(Group, [(b.MemberId, "instance-b")]).ShouldBe([ErrorCode.FencedInstanceId]);
        _coordinator.LeaveGroup(Group, [(string.Empty, "instance-b")]).ShouldBe([ErrorCode.None]);

        _coordinator.Heartbeat(Group, restarted.GenerationId, restarted.MemberId, "instance-b").ShouldBe(ErrorCode.UnknownMemberId);
        _coordinator.Heartbeat(Group, a.GenerationId, a.MemberId, "instance-a").ShouldBe(ErrorCode.RebalanceInProgress);
    }

    [Fact]
    public async Task CommitOffsets_MemberChecks_FollowKafka()
    {
        var a = await JoinNewAsync();
        await SyncAsync(a);
        var offsets = new List<KeyValuePair<TopicPartitionKey, CommittedOffset>> { new(new("t", 0), new CommittedOffset(5, -1, null, 0)) };

        _coordinator.CommitOffsets(Group, a.GenerationId + 1, a.MemberId, null, offsets).ShouldBe([ErrorCode.IllegalGeneration]);
        _coordinator.CommitOffsets(Group, a.GenerationId, "ghost", null, offsets).ShouldBe([ErrorCode.UnknownMemberId]);
        _coordinator.CommitOffsets(Group, -1, string.Empty, null, offsets).ShouldBe([ErrorCode.UnknownMemberId]);
        _coordinator.CommitOffsets(Group, a.GenerationId, a.MemberId, null, offsets).ShouldBe([ErrorCode.None]);
        _coordinator.CommitOffsets("simple", -1, string.Empty, null, offsets).ShouldBe([ErrorCode.None]);

        _coordinator.FetchOffsets(Group, [new("t", 0), new("t", 1)], requireStable: false)
            .Select(r => r.Offset).ShouldBe([5L, -1L]);
    }

    [Fact]
    public void TransactionalOffsets_PendingUntilCommit_UnstableForRequireStable()
    {
        var offsets = new List<KeyValuePair<TopicPartitionKey, CommittedOffset>> { new(new("t", 0), new CommittedOffset(7, -1, null, 0)) };
        _coordinator.StageTransactionalOffsets(Group, producerId: 42, -1, string.Empty, null, offsets).ShouldBe([ErrorCode.None]);

        _coordinator.FetchOffsets(Group, [new("t", 0)], requireStable: true)[0].ErrorCode.ShouldBe(ErrorCode.UnstableOffsetCommit);
        _coordinator.FetchOffsets(Group, [new("t", 0)], requireStable: false)[0].Offset.ShouldBe(-1);

        _coordinator.CompleteTransaction(Group, 42, commit: false);
        _coordinator.FetchOffsets(Group, [new("t", 0)], requireStable: true)[0].Offset.ShouldBe(-1);

        _coordinator.StageTransactionalOffsets(Group, 42, -1, string.Empty, null, offsets);
        _coordinator.CompleteTransaction(Group, 42, commit: true);
        var fetched = _coordinator.FetchOffsets(Group, [new("t", 0)], requireStable: true)[0];
        fetched.ErrorCode.ShouldBe(ErrorCode.None);
        fetched.Offset.ShouldBe(7);
    }

    [Fact]
    public async Task JoinGroup_InitialRebalanceDelay_MembersArrivingTogetherShareTheFirstGeneration()
    {
        using var delayed = new GroupCoordinator(
            new GroupCoordinatorOptions { InitialRebalanceDelayMs = 3000, ExpirationCheckIntervalMs = 3_600_000 },
            new GroupOffsetStore(null), new AllPartitionsExist(), _clock, NullLogger.Instance);
        var a = delayed.JoinGroupAsync(Join(string.Empty, requireKnown: false));
        _clock.Advance(TimeSpan.FromSeconds(2));
        delayed.Sweep();
        var b = delayed.JoinGroupAsync(Join(string.Empty, requireKnown: false));
        _clock.Advance(TimeSpan.FromSeconds(2));
        delayed.Sweep();
        a.IsCompleted.ShouldBeFalse("a member joined during the delay, so the delay is extended");

        _clock.Advance(TimeSpan.FromSeconds(3));
        delayed.Sweep();

        (await a).GenerationId.ShouldBe(1);
        (await b).GenerationId.ShouldBe(1);
        new[] { await a, await b }.Single(o => o.Members.Count > 0).Members.Count.ShouldBe(2);
    }

    [Fact]
    public async Task JoinGroup_SessionTimeoutOutOfBounds_InvalidSessionTimeout()
    {
        var join = Join(string.Empty) with { SessionTimeoutMs = 1000 };

        (await _coordinator.JoinGroupAsync(join)).ErrorCode.ShouldBe(ErrorCode.InvalidSessionTimeout);
    }

    [Fact]
    public async Task DeleteGroups_ActiveEmptyAndUnknown_FollowKafka()
    {
        var a = await JoinNewAsync();
        await SyncAsync(a);
        _coordinator.CommitOffsets("idle", -1, string.Empty, null, [new(new("t", 0), new CommittedOffset(3, -1, null, 0))]);

        _coordinator.DeleteGroups([Group, "idle", "unknown"]).ShouldBe([ErrorCode.NonEmptyGroup, ErrorCode.None, ErrorCode.GroupIdNotFound]);
        _coordinator.FetchOffsets("idle", [new("t", 0)], requireStable: false)[0].Offset.ShouldBe(-1);
    }

    private async Task<JoinGroupOutcome> JoinNewAsync(string[]? protocols = null)
    {
        var first = await _coordinator.JoinGroupAsync(Join(string.Empty, protocols: protocols));
        var joined = await _coordinator.JoinGroupAsync(Join(first.MemberId, protocols: protocols));
        joined.ErrorCode.ShouldBe(ErrorCode.None);
        return joined;
    }

    // Static members instance-a (leader, assignment [1]) and instance-b (assignment [2]) in a Stable group.
    private async Task<(JoinGroupOutcome A, JoinGroupOutcome B)> StableStaticPairAsync()
    {
        var first = await _coordinator.JoinGroupAsync(Join(string.Empty, instanceId: "instance-a"));
        await SyncAsync(first);
        var joiningB = _coordinator.JoinGroupAsync(Join(string.Empty, instanceId: "instance-b"));
        var a = await _coordinator.JoinGroupAsync(Join(first.MemberId, instanceId: "instance-a"));
        var b = await joiningB;
        a.LeaderId.ShouldBe(a.MemberId);
        var syncB = _coordinator.SyncGroupAsync(Group, b.GenerationId, b.MemberId, "instance-b", null, null, new Dictionary<string, byte[]>());
        var syncA = await _coordinator.SyncGroupAsync(Group, a.GenerationId, a.MemberId, "instance-a", null, null,
            new Dictionary<string, byte[]> { [a.MemberId] = [1], [b.MemberId] = [2] });
        syncA.Assignment.ShouldBe(new byte[] { 1 });
        (await syncB).Assignment.ShouldBe(new byte[] { 2 });
        return (a, b);
    }

    [Fact]
    public async Task Restart_WithDataDirectory_GenerationsKeepIncreasingAndMembersBeforeItAreFenced()
    {
        var directory = Directory.CreateTempSubdirectory("sm-generations-");
        try
        {
            var offsets = new List<KeyValuePair<TopicPartitionKey, CommittedOffset>> { new(new("t", 0), new CommittedOffset(3, -1, null, 0)) };
            JoinGroupOutcome before;
            using (var first = Durable(directory.FullName))
            {
                before = await JoinNewAsync(first);
                await SyncAsync(first, before);
                var again = await first.JoinGroupAsync(Join(before.MemberId));
                await SyncAsync(first, again);
                again.GenerationId.ShouldBe(2);
                first.CommitOffsets(Group, again.GenerationId, again.MemberId, null, offsets).ShouldBe([ErrorCode.None]);
                before = again;
            }

            using var restarted = Durable(directory.FullName);
            var after = await JoinNewAsync(restarted);

            // Kafka keeps a group's generation in its metadata log: a generation number is never handed out twice.
            after.GenerationId.ShouldBe(before.GenerationId + 1);
            restarted.StageTransactionalOffsets(Group, 7, before.GenerationId, before.MemberId, null, offsets).ShouldBe([ErrorCode.UnknownMemberId]);
            restarted.CommitOffsets(Group, before.GenerationId, after.MemberId, null, offsets).ShouldBe([ErrorCode.IllegalGeneration]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Restart_GroupForgottenBeforeIt_StartsAtTheFirstGeneration()
    {
        var directory = Directory.CreateTempSubdirectory("sm-generations-");
        try
        {
            using (var first = Durable(directory.FullName))
            {
                var joined = await JoinNewAsync(first);
                await SyncAsync(first, joined);
                first.LeaveGroup(Group, [(joined.MemberId, null)]).ShouldBe([ErrorCode.None]);
            }

            using var restarted = Durable(directory.FullName);
            (await JoinNewAsync(restarted)).GenerationId.ShouldBe(1);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private GroupCoordinator Durable(string directory) =>
        new(new GroupCoordinatorOptions { InitialRebalanceDelayMs = 0, ExpirationCheckIntervalMs = 3_600_000 },
            new GroupOffsetStore(directory), new AllPartitionsExist(), _clock, NullLogger.Instance);

    private static async Task<JoinGroupOutcome> JoinNewAsync(GroupCoordinator coordinator)
    {
        var first = await coordinator.JoinGroupAsync(Join(string.Empty));
        var joined = await coordinator.JoinGroupAsync(Join(first.MemberId));
        joined.ErrorCode.ShouldBe(ErrorCode.None);
        return joined;
    }

    private static Task<SyncGroupOutcome> SyncAsync(GroupCoordinator coordinator, JoinGroupOutcome joined) =>
        coordinator.SyncGroupAsync(Group, joined.GenerationId, joined.MemberId, null, null, null,
            new Dictionary<string, byte[]> { [joined.MemberId] = [9] });

    private Task<SyncGroupOutcome> SyncAsync(JoinGroupOutcome joined) =>
        _coordinator.SyncGroupAsync(Group, joined.GenerationId, joined.MemberId, null, null, null,
            new Dictionary<string, byte[]> { [joined.MemberId] = [9] });

    private static JoinGroupCommand Join(string memberId, bool requireKnown = true, string[]? protocols = null, string? instanceId = null) =>
        new(Group, 10_000, 30_000, memberId, instanceId, "consumer",
            (protocols ?? ["range"]).Select(p => new GroupProtocol(p, [1, 2, 3])).ToList(), "client", "/127.0.0.1", requireKnown);

    private sealed class AllPartitionsExist : IPartitionCatalog
    {
        public bool PartitionExists(string topic, int partition) => true;
    }
}

using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Groups;

/// <summary>
/// Kafka's classic group coordinator for a single-node broker: membership (join, sync, heartbeat, leave), generations,
/// session and rebalance timeouts, committed offsets and transactional offsets. All state changes happen under one lock;
/// JoinGroup and SyncGroup answers are parked until the rebalance step they wait for completes. Deadlines are checked by
/// a periodic timer of the injected <see cref="TimeProvider"/>, so tests can drive time.
/// </summary>
internal sealed partial class GroupCoordinator : IDisposable
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, ClassicGroup> _groups = new(StringComparer.Ordinal);
    private readonly GroupCoordinatorOptions _options;
    private readonly GroupOffsetStore _offsets;
    private readonly IPartitionCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _sweepTimer;

    public GroupCoordinator(GroupCoordinatorOptions options, GroupOffsetStore offsets, IPartitionCatalog catalog, TimeProvider time, ILogger logger)
    {
        options.Validate();
        _options = options;
        _offsets = offsets;
        _catalog = catalog;
        _time = time;
        _logger = logger;
        foreach (var group in offsets.Groups)
        {
            // The group comes back empty (its members rejoin) but keeps counting generations from where it was.
            _groups[group] = new ClassicGroup(group) { GenerationId = offsets.GenerationOf(group) };
        }

        var interval = TimeSpan.FromMilliseconds(options.ExpirationCheckIntervalMs);
        _sweepTimer = time.CreateTimer(_ => Sweep(), null, interval, interval);
    }

    public void Dispose()
    {
        _sweepTimer.Dispose();
        lock (_sync)
        {
            foreach (var member in _groups.Values.SelectMany(g => g.Members))
            {
                member.CompleteJoin(JoinGroupOutcome.Error(ErrorCode.CoordinatorNotAvailable, member.MemberId));
                member.CompleteSync(SyncGroupOutcome.Error(ErrorCode.CoordinatorNotAvailable));
            }
        }

        _offsets.Dispose();
    }

    /// <summary>Checks session, pending-member, initial-delay and rebalance deadlines. Called by the timer.</summary>
    internal void Sweep()
    {
        try
        {
            lock (_sync)
            {
                var now = _time.GetUtcNow();
                foreach (var group in _groups.Values.ToList())
                {
                    SweepGroup(group, now);
                }
            }
        }
#pragma warning disable CA1031 // A timer callback must not throw; the next tick retries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            GroupLog.SweepFailed(_logger, ex);
        }
    }

    private void SweepGroup(ClassicGroup group, DateTimeOffset now)
    {
        var expiredPending = group.PendingMembers.Where(p => p.Value <= now).Select(p => p.Key).ToList();
        foreach (var memberId in expiredPending)
        {
            group.PendingMembers.Remove(memberId);
        }

        if (MaybeRemoveEmptyGroup(group))
        {
            return;
        }

        foreach (var member in group.Members.ToList())
        {
            // A member parked in JoinGroup or SyncGroup is alive by definition; the rebalance deadline bounds the wait.
            if (member.AwaitingJoin is null && member.AwaitingSync is null && member.SessionDeadline <= now)
            {
                GroupLog.MemberExpired(_logger, group.GroupId, member.MemberId);
                RemoveMemberAndUpdateGroup(group, member, now);
            }
        }

        if (group.State != GroupState.PreparingRebalance)
        {
            return;
        }

        if (group.InitialDelayDeadline is { } delayDeadline)
        {
            if (now < delayDeadline)
            {
                return;
            }

            // Kafka's InitialDelayedJoin: while new members keep arriving, wait another delay (bounded by the rebalance timeout).
            if (group.NewMemberAddedDuringDelay && group.InitialDelayRemainingMs > 0)
            {
                var delay = Math.Min(_options.InitialRebalanceDelayMs, group.InitialDelayRemainingMs);
                group.InitialDelayRemainingMs = Math.Max(group.InitialDelayRemainingMs - _options.InitialRebalanceDelayMs, 0);
                group.NewMemberAddedDuringDelay = false;
                group.InitialDelayDeadline = now.AddMilliseconds(delay);
                return;
            }

            CompleteJoin(group, now);
            return;
        }

        if (expiredPending.Count > 0)
        {
            TryCompleteJoin(group, now);
        }

        if (group.State == GroupState.PreparingRebalance && now >= group.RebalanceDeadline)
        {
            CompleteJoin(group, now);
        }
    }

    private void PrepareRebalance(ClassicGroup group, DateTimeOffset now)
    {
        if (group.State == GroupState.CompletingRebalance)
        {
            foreach (var member in group.Members)
            {
                member.Assignment = [];
                member.CompleteSync(SyncGroupOutcome.Error(ErrorCode.RebalanceInProgress));
            }
        }

        var wasEmpty = group.State == GroupState.Empty;
        group.State = GroupState.PreparingRebalance;
        var rebalanceTimeoutMs = group.MaxRebalanceTimeoutMs;
        group.RebalanceDeadline = now.AddMilliseconds(rebalanceTimeoutMs);
        if (wasEmpty && _options.InitialRebalanceDelayMs > 0)
        {
            group.InitialDelayDeadline = now.AddMilliseconds(Math.Min(_options.InitialRebalanceDelayMs, rebalanceTimeoutMs));
            group.InitialDelayRemainingMs = Math.Max(rebalanceTimeoutMs - _options.InitialRebalanceDelayMs, 0);
            group.NewMemberAddedDuringDelay = false;
        }
        else
        {
            group.InitialDelayDeadline = null;
        }

        GroupLog.PreparingRebalance(_logger, group.GroupId, group.GenerationId, group.MemberCount);
    }

    private void MaybePrepareRebalance(ClassicGroup group, DateTimeOffset now)
    {
        if (group.State is GroupState.Stable or GroupState.CompletingRebalance or GroupState.Empty)
        {
            PrepareRebalance(group, now);
        }
    }

    private void TryCompleteJoin(ClassicGroup group, DateTimeOffset now)
    {
        if (group.State == GroupState.PreparingRebalance && group.InitialDelayDeadline is null && group.AllMembersJoined)
        {
            CompleteJoin(group, now);
        }
    }

    private void CompleteJoin(ClassicGroup group, DateTimeOffset now)
    {
        group.InitialDelayDeadline = null;
        foreach (var member in group.Members.Where(m => m.AwaitingJoin is null).ToList())
        {
            // Did not rejoin within the rebalance timeout: no longer a member.
            group.Remove(member.MemberId);
            member.CompleteSync(SyncGroupOutcome.Error(ErrorCode.UnknownMemberId));
        }

        group.GenerationId++;
        _offsets.RecordGeneration(group.GroupId, group.GenerationId);
        if (group.MemberCount == 0)
        {
            group.State = GroupState.Empty;
            group.ProtocolName = null;
            GroupLog.GenerationFormed(_logger, group.GroupId, group.GenerationId, 0, null);
            MaybeRemoveEmptyGroup(group);
            return;
        }

        group.ProtocolName = group.SelectProtocol();
        group.State = GroupState.CompletingRebalance;
        if (group.LeaderId is null || !group.Has(group.LeaderId))
        {
            group.LeaderId = group.Members.First().MemberId;
        }

        foreach (var member in group.Members)
        {
            member.IsNew = false;
            member.SessionDeadline = now.AddMilliseconds(member.SessionTimeoutMs);
            member.CompleteJoin(CurrentJoinOutcome(group, member));
        }

        GroupLog.GenerationFormed(_logger, group.GroupId, group.GenerationId, group.MemberCount, group.ProtocolName);
    }

    /// <summary>
    /// Like Kafka, an empty group that holds no offsets is dead and forgotten (readers with throw-away group ids
    /// would otherwise accumulate forever).
    /// </summary>
    private bool MaybeRemoveEmptyGroup(ClassicGroup group)
    {
        if (group.State != GroupState.Empty || group.MemberCount > 0 || group.PendingMembers.Count > 0
            || _offsets.HasOffsets(group.GroupId) || _offsets.HasPending(group.GroupId))
        {
            return false;
        }

        group.State = GroupState.Dead;
        _groups.Remove(group.GroupId);
        _offsets.Forget(group.GroupId);
        return true;
    }

    private static JoinGroupOutcome CurrentJoinOutcome(ClassicGroup group, GroupMember member)
    {
        var isLeader = member.MemberId == group.LeaderId;
        IReadOnlyList<JoinedMember> members = isLeader
            ? group.Members.Select(m => new JoinedMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(group.ProtocolName))).ToList()
            : [];
        return new JoinGroupOutcome(ErrorCode.None, group.GenerationId, group.ProtocolType, group.ProtocolName, group.LeaderId!, member.MemberId, members);
    }

    private void RemoveMemberAndUpdateGroup(ClassicGroup group, GroupMember member, DateTimeOffset now)
    {
        member.CompleteJoin(JoinGroupOutcome.Error(ErrorCode.UnknownMemberId, member.MemberId));
        member.CompleteSync(SyncGroupOutcome.Error(ErrorCode.UnknownMemberId));
        group.Remove(member.MemberId);
        switch (group.State)
        {
            case GroupState.Stable:
            case GroupState.CompletingRebalance:
                PrepareRebalance(group, now);
                TryCompleteJoin(group, now);
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoin(group, now);
                break;
            default:
                break;
        }
    }

    private static TaskCompletionSource<T> NewParked<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

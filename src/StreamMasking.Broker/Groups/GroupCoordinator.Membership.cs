using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Groups;

/// <summary>JoinGroup, SyncGroup, Heartbeat and LeaveGroup.</summary>
internal sealed partial class GroupCoordinator
{
    public Task<JoinGroupOutcome> JoinGroupAsync(JoinGroupCommand join)
    {
        if (join.GroupId.Length == 0)
        {
            return Task.FromResult(JoinGroupOutcome.Error(ErrorCode.InvalidGroupId, join.MemberId));
        }

        if (join.SessionTimeoutMs < _options.MinSessionTimeoutMs || join.SessionTimeoutMs > _options.MaxSessionTimeoutMs)
        {
            return Task.FromResult(JoinGroupOutcome.Error(ErrorCode.InvalidSessionTimeout, join.MemberId));
        }

        lock (_sync)
        {
            var now = _time.GetUtcNow();
            var isUnknown = join.MemberId.Length == 0;
            if (!_groups.TryGetValue(join.GroupId, out var group))
            {
                if (!isUnknown)
                {
                    return Task.FromResult(JoinGroupOutcome.Error(ErrorCode.UnknownMemberId, join.MemberId));
                }

                group = _groups[join.GroupId] = new ClassicGroup(join.GroupId);
            }

            if (!group.SupportsProtocols(join.ProtocolType, join.Protocols))
            {
                return Task.FromResult(JoinGroupOutcome.Error(ErrorCode.InconsistentGroupProtocol, join.MemberId));
            }

            return isUnknown ? JoinUnknownMember(group, join, now) : JoinKnownMember(group, join, now);
        }
    }

    public Task<SyncGroupOutcome> SyncGroupAsync(
        string groupId, int generationId, string memberId, string? groupInstanceId, string? protocolType, string? protocolName,
        IReadOnlyDictionary<string, byte[]> assignments)
    {
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            var error = ValidateMember(groupId, memberId, groupInstanceId, out var group, out var member);
            if (error == ErrorCode.None && generationId != group!.GenerationId)
            {
                error = ErrorCode.IllegalGeneration;
            }

            if (error == ErrorCode.None && ((protocolType is not null && protocolType != group!.ProtocolType) ||
                                                  (protocolName is not null && protocolName != group!.ProtocolName)))
            {
                error = ErrorCode.InconsistentGroupProtocol;
            }

            if (error != ErrorCode.None)
            {
                return Task.FromResult(SyncGroupOutcome.Error(error));
            }

            switch (group!.State)
            {
                case GroupState.PreparingRebalance:
                    return Task.FromResult(SyncGroupOutcome.Error(ErrorCode.RebalanceInProgress));
                case GroupState.Stable:
                    member!.SessionDeadline = now.AddMilliseconds(member.SessionTimeoutMs);
                    return Task.FromResult(new SyncGroupOutcome(ErrorCode.None, group.ProtocolType, group.ProtocolName, member.Assignment));
                case GroupState.CompletingRebalance:
                    var parked = NewParked<SyncGroupOutcome>();
                    member!.CompleteSync(SyncGroupOutcome.Error(ErrorCode.RebalanceInProgress));
                    member.AwaitingSync = parked;
                    if (memberId == group.LeaderId)
                    {
                        // The leader ran the assignor on the client; hand every member its share and go Stable.
                        foreach (var m in group.Members)
                        {
                            m.Assignment = assignments.GetValueOrDefault(m.MemberId) ?? [];
                        }

                        group.State = GroupState.Stable;
                        foreach (var m in group.Members)
                        {
                            m.SessionDeadline = now.AddMilliseconds(m.SessionTimeoutMs);
                            m.CompleteSync(new SyncGroupOutcome(ErrorCode.None, group.ProtocolType, group.ProtocolName, m.Assignment));
                        }
                    }

                    return parked.Task;
                default:
                    return Task.FromResult(SyncGroupOutcome.Error(ErrorCode.UnknownMemberId));
            }
        }
    }

    public ErrorCode Heartbeat(string groupId, int generationId, string memberId, string? groupInstanceId)
    {
        lock (_sync)
        {
            var error = ValidateMember(groupId, memberId, groupInstanceId, out var group, out var member);
            if (error != ErrorCode.None)
            {
                return error;
            }

            if (generationId != group!.GenerationId)
            {
                return ErrorCode.IllegalGeneration;
            }

            member!.SessionDeadline = _time.GetUtcNow().AddMilliseconds(member.SessionTimeoutMs);
            return group.State == GroupState.PreparingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
        }
    }

    /// <summary>Removes members (v0-2: one by member id; v3+: a batch, static members by instance id).</summary>
    /// <returns>One error code per requested member, in request order.</returns>
    public IReadOnlyList<ErrorCode> LeaveGroup(string groupId, IReadOnlyList<(string MemberId, string? GroupInstanceId)> leaving)
    {
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            var results = new List<ErrorCode>(leaving.Count);
            if (!_groups.TryGetValue(groupId, out var group) || group.State == GroupState.Dead)
            {
                results.AddRange(leaving.Select(_ => ErrorCode.UnknownMemberId));
                return results;
            }

            foreach (var (memberId, instanceId) in leaving)
            {
                var resolvedId = memberId;
                if (instanceId is not null)
                {
                    var current = group.MemberIdOfInstance(instanceId);
                    if (current is null)
                    {
                        results.Add(ErrorCode.UnknownMemberId);
                        continue;
                    }

                    if (memberId.Length > 0 && memberId != current)
                    {
                        results.Add(ErrorCode.FencedInstanceId);
                        continue;
                    }

                    resolvedId = current;
                }

                if (group.PendingMembers.Remove(resolvedId))
                {
                    results.Add(ErrorCode.None);
                    TryCompleteJoin(group, now);
                    continue;
                }

                var member = group.Get(resolvedId);
                if (member is null)
                {
                    results.Add(ErrorCode.UnknownMemberId);
                    continue;
                }

                GroupLog.MemberLeft(_logger, groupId, resolvedId);
                RemoveMemberAndUpdateGroup(group, member, now);
                results.Add(ErrorCode.None);
            }

            return results;
        }
    }

    private Task<JoinGroupOutcome> JoinUnknownMember(ClassicGroup group, JoinGroupCommand join, DateTimeOffset now)
    {
        var newMemberId = $"{join.GroupInstanceId ?? join.ClientId}-{Guid.NewGuid():D}";
        if (join.GroupInstanceId is not null && group.MemberIdOfInstance(join.GroupInstanceId) is { } oldMemberId)
        {
            // A static member restarted: the new incarnation takes over and the old one is fenced.
            var existing = group.Get(oldMemberId)!;
            var unchanged = existing.Matches(join.Protocols);
            var currentLeader = group.LeaderId!;
            existing.CompleteJoin(JoinGroupOutcome.Error(ErrorCode.FencedInstanceId, oldMemberId));
            existing.CompleteSync(SyncGroupOutcome.Error(ErrorCode.FencedInstanceId));
            group.ReplaceStaticMember(existing, newMemberId);
            existing.Update(join);
            existing.SessionDeadline = now.AddMilliseconds(join.SessionTimeoutMs);
            GroupLog.StaticMemberReplaced(_logger, group.GroupId, join.GroupInstanceId, group.GenerationId);
            if (group.State == GroupState.Stable && unchanged)
            {
                // KIP-345: same instance, same subscription: keep the generation and its assignment, no rebalance.
                // The old leader id is returned so a restarted leader does not run the assignor: a Stable group
                // would not hand out the result (the member's SyncGroup gets its stored assignment).
                return Task.FromResult(new JoinGroupOutcome(ErrorCode.None, group.GenerationId, group.ProtocolType,
                    group.ProtocolName, currentLeader, newMemberId, []));
            }

            var parked = Park(existing);
            MaybePrepareRebalance(group, now);
            TryCompleteJoin(group, now);
            return parked;
        }

        if (join.RequireKnownMemberId && join.GroupInstanceId is null)
        {
            // JoinGroup v4+: hand out the id first so a retried join after a lost response cannot create a ghost member.
            group.PendingMembers[newMemberId] = now.AddMilliseconds(join.SessionTimeoutMs);
            return Task.FromResult(JoinGroupOutcome.Error(ErrorCode.MemberIdRequired, newMemberId));
        }

        return AddMemberAndRebalance(group, join, newMemberId, now);
    }

    private Task<JoinGroupOutcome> JoinKnownMember(ClassicGroup group, JoinGroupCommand join, DateTimeOffset now)
    {
        if (group.PendingMembers.Remove(join.MemberId))
        {
            return AddMemberAndRebalance(group, join, join.MemberId, now);
        }

        var member = group.Get(join.MemberId);
        if (member is null || group.State is GroupState.Empty or GroupState.Dead)
        {
            return Task.FromResult(JoinGroupOutcome.Error(ErrorCode.UnknownMemberId, join.MemberId));
        }

        if (join.GroupInstanceId is not null && group.MemberIdOfInstance(join.GroupInstanceId) != join.MemberId)
        {
            return Task.FromResult(JoinGroupOutcome.Error(ErrorCode.FencedInstanceId, join.MemberId));
        }

        member.SessionDeadline = now.AddMilliseconds(join.SessionTimeoutMs);
        switch (group.State)
        {
            case GroupState.PreparingRebalance:
                member.Update(join);
                var parked = Park(member);
                TryCompleteJoin(group, now);
                return parked;
            case GroupState.CompletingRebalance when member.Matches(join.Protocols):
            case GroupState.Stable when member.MemberId != group.LeaderId && member.Matches(join.Protocols):
                // Nothing changed: answer with the current generation instead of forcing a new rebalance.
                return Task.FromResult(CurrentJoinOutcome(group, member));
            default:
                member.Update(join);
                var rejoin = Park(member);
                PrepareRebalance(group, now);
                TryCompleteJoin(group, now);
                return rejoin;
        }
    }

    private Task<JoinGroupOutcome> AddMemberAndRebalance(ClassicGroup group, JoinGroupCommand join, string memberId, DateTimeOffset now)
    {
        var member = new GroupMember(memberId, join) { SessionDeadline = now.AddMilliseconds(join.SessionTimeoutMs) };
        var wasEmpty = group.MemberCount == 0;
        group.Add(member);
        if (wasEmpty)
        {
            group.ProtocolType = join.ProtocolType;
        }

        if (group.State == GroupState.PreparingRebalance && group.InitialDelayDeadline is not null)
        {
            group.NewMemberAddedDuringDelay = true;
        }

        var parked = Park(member);
        MaybePrepareRebalance(group, now);
        TryCompleteJoin(group, now);
        return parked;
    }

    private static Task<JoinGroupOutcome> Park(GroupMember member)
    {
        member.CompleteJoin(JoinGroupOutcome.Error(ErrorCode.RebalanceInProgress, member.MemberId));
        var parked = NewParked<JoinGroupOutcome>();
        member.AwaitingJoin = parked;
        return parked.Task;
    }

    private ErrorCode ValidateMember(string groupId, string memberId, string? groupInstanceId, out ClassicGroup? group, out GroupMember? member)
    {
        member = null;
        if (!_groups.TryGetValue(groupId, out group) || group.State is GroupState.Dead or GroupState.Empty)
        {
            return ErrorCode.UnknownMemberId;
        }

        if (groupInstanceId is not null && group.MemberIdOfInstance(groupInstanceId) is { } current && current != memberId)
        {
            return ErrorCode.FencedInstanceId;
        }

        member = group.Get(memberId);
        return member is null ? ErrorCode.UnknownMemberId : ErrorCode.None;
    }
}

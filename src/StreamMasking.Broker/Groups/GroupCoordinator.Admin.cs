using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Groups;

/// <summary>DescribeGroups, ListGroups and DeleteGroups.</summary>
internal sealed partial class GroupCoordinator
{
    public IReadOnlyList<DescribedGroup> DescribeGroups(IReadOnlyList<string> groupIds)
    {
        lock (_sync)
        {
            return groupIds.Select(Describe).ToList();
        }
    }

    /// <param name="statesFilter">Empty = all states (ListGroups v4+ filter, case-insensitive like Kafka).</param>
    public IReadOnlyList<ListedGroup> ListGroups(IReadOnlyCollection<string> statesFilter)
    {
        lock (_sync)
        {
            return _groups.Values
                .Where(g => statesFilter.Count == 0 || statesFilter.Contains(g.StateName, StringComparer.OrdinalIgnoreCase))
                .Select(g => new ListedGroup(g.GroupId, g.ProtocolType ?? string.Empty, g.StateName))
                .ToList();
        }
    }

    /// <returns>An error code per group: NON_EMPTY_GROUP while members exist, GROUP_ID_NOT_FOUND for unknown groups.</returns>
    public IReadOnlyList<ErrorCode> DeleteGroups(IReadOnlyList<string> groupIds)
    {
        lock (_sync)
        {
            var results = new List<ErrorCode>(groupIds.Count);
            foreach (var groupId in groupIds)
            {
                if (!_groups.TryGetValue(groupId, out var group))
                {
                    results.Add(groupId.Length == 0 ? ErrorCode.InvalidGroupId : ErrorCode.GroupIdNotFound);
                }
                else if (group.State != GroupState.Empty || group.PendingMembers.Count > 0)
                {
                    results.Add(ErrorCode.NonEmptyGroup);
                }
                else
                {
                    group.State = GroupState.Dead;
                    _groups.Remove(groupId);
                    _offsets.DeleteGroup(groupId);
                    results.Add(ErrorCode.None);
                }
            }

            return results;
        }
    }

    private DescribedGroup Describe(string groupId)
    {
        if (!_groups.TryGetValue(groupId, out var group))
        {
            // Kafka answers unknown groups as Dead without an error.
            return new DescribedGroup(ErrorCode.None, groupId, "Dead", string.Empty, string.Empty, []);
        }

        var stable = group.State == GroupState.Stable;
        var members = group.Members
            .Select(m => new DescribedMember(
                m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
                m.MetadataFor(group.ProtocolName), stable ? m.Assignment : []))
            .ToList();
        return new DescribedGroup(ErrorCode.None, groupId, group.StateName, group.ProtocolType ?? string.Empty, group.ProtocolName ?? string.Empty, members);
    }
}

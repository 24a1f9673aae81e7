namespace StreamMasking.Broker.Groups;

/// <summary>
/// Membership state of one classic consumer group. Mutated only by <see cref="GroupCoordinator"/> under its lock.
/// </summary>
internal sealed class ClassicGroup
{
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _staticMembers = new(StringComparer.Ordinal);

    public ClassicGroup(string groupId) => GroupId = groupId;

    public string GroupId { get; }

    public GroupState State { get; set; } = GroupState.Empty;

    public int GenerationId { get; set; }

    public string? ProtocolType { get; set; }

    public string? ProtocolName { get; set; }

    public string? LeaderId { get; set; }

    /// <summary>Member ids handed out with MEMBER_ID_REQUIRED that have not joined yet, with their expiry.</summary>
    public Dictionary<string, DateTimeOffset> PendingMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>When the current rebalance completes even if some members have not rejoined.</summary>
    public DateTimeOffset RebalanceDeadline { get; set; }

    /// <summary>Set while the initial rebalance delay of a previously empty group runs.</summary>
    public DateTimeOffset? InitialDelayDeadline { get; set; }

    /// <summary>Milliseconds of rebalance timeout left for extending the initial delay.</summary>
    public int InitialDelayRemainingMs { get; set; }

    public bool NewMemberAddedDuringDelay { get; set; }

    public IReadOnlyCollection<GroupMember> Members => _members.Values;

    public int MemberCount => _members.Count;

    public bool Has(string memberId) => _members.ContainsKey(memberId);

    public GroupMember? Get(string memberId) => _members.GetValueOrDefault(memberId);

    public string? MemberIdOfInstance(string groupInstanceId) => _staticMembers.GetValueOrDefault(groupInstanceId);

    public void Add(GroupMember member)
    {
        if (_members.Count == 0)
        {
            ProtocolType = null;
        }

        _members[member.MemberId] = member;
        if (member.GroupInstanceId is not null)
        {
            _staticMembers[member.GroupInstanceId] = member.MemberId;
        }

        LeaderId ??= member.MemberId;
    }

    public void Remove(string memberId)
    {
        if (!_members.Remove(memberId, out var member))
        {
            return;
        }

        if (member.GroupInstanceId is not null && _staticMembers.GetValueOrDefault(member.GroupInstanceId) == memberId)
        {
            _staticMembers.Remove(member.GroupInstanceId);
        }

        if (LeaderId == memberId)
        {
            LeaderId = _members.Keys.FirstOrDefault();
        }
    }

    /// <summary>Gives a static member a new member id (a restarted instance replaces its old incarnation).</summary>
    public void ReplaceStaticMember(GroupMember member, string newMemberId)
    {
        var oldId = member.MemberId;
        _members.Remove(oldId);
        member.MemberId = newMemberId;
        _members[newMemberId] = member;
        _staticMembers[member.GroupInstanceId!] = newMemberId;
        if (LeaderId == oldId)
        {
            LeaderId = newMemberId;
        }
    }

    public bool AllMembersJoined =>
        PendingMembers.Count == 0 && _members.Values.All(m => m.AwaitingJoin is not null);

    public int MaxRebalanceTimeoutMs => _members.Count == 0 ? 0 : _members.Values.Max(m => m.RebalanceTimeoutMs);

    /// <summary>Protocols every current member supports (Kafka's candidateProtocols).</summary>
    public HashSet<string> CandidateProtocols()
    {
        HashSet<string>? candidates = null;
        foreach (var member in _members.Values)
        {
            var names = member.Protocols.Select(p => p.Name);
            if (candidates is null)
            {
                candidates = new HashSet<string>(names, StringComparer.Ordinal);
            }
            else
            {
                candidates.IntersectWith(names);
            }
        }

        return candidates ?? new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>Whether a joining member with these protocols can be in this group (else INCONSISTENT_GROUP_PROTOCOL).</summary>
    public bool SupportsProtocols(string protocolType, IReadOnlyList<GroupProtocol> protocols)
    {
        if (_members.Count == 0)
        {
            return protocolType.Length > 0 && protocols.Count > 0;
        }

        var candidates = CandidateProtocols();
        return protocolType == ProtocolType && protocols.Any(p => candidates.Contains(p.Name));
    }

    /// <summary>
    /// Each member votes for its most preferred protocol among those all members support; the most votes wins
    /// (ties go to the earlier preference of the first member).
    /// </summary>
    public string SelectProtocol()
    {
        var candidates = CandidateProtocols();
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var member in _members.Values)
        {
            var choice = member.Protocols.First(p => candidates.Contains(p.Name)).Name;
            votes[choice] = votes.GetValueOrDefault(choice) + 1;
        }

        var first = _members.Values.First();
        return first.Protocols
            .Where(p => votes.ContainsKey(p.Name))
            .OrderByDescending(p => votes[p.Name])
            .First().Name;
    }

    public string StateName => State switch
    {
        GroupState.Empty => "Empty",
        GroupState.PreparingRebalance => "PreparingRebalance",
        GroupState.CompletingRebalance => "CompletingRebalance",
        GroupState.Stable => "Stable",
        _ => "Dead",
    };
}

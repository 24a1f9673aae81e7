namespace StreamMasking.Broker.Groups;

/// <summary>One member of a classic group, with its parked JoinGroup/SyncGroup responses and session deadline.</summary>
internal sealed class GroupMember
{
    public GroupMember(string memberId, JoinGroupCommand join)
    {
        MemberId = memberId;
        GroupInstanceId = join.GroupInstanceId;
        Update(join);
    }

    public string MemberId { get; set; }

    public string? GroupInstanceId { get; }

    public string ClientId { get; private set; } = string.Empty;

    public string ClientHost { get; private set; } = string.Empty;

    public int SessionTimeoutMs { get; private set; }

    public int RebalanceTimeoutMs { get; private set; }

    public IReadOnlyList<GroupProtocol> Protocols { get; private set; } = [];

    public byte[] Assignment { get; set; } = [];

    /// <summary>Parked JoinGroup response; set while the member waits for the rebalance to complete.</summary>
    public TaskCompletionSource<JoinGroupOutcome>? AwaitingJoin { get; set; }

    /// <summary>Parked SyncGroup response; set while the member waits for the leader's assignment.</summary>
    public TaskCompletionSource<SyncGroupOutcome>? AwaitingSync { get; set; }

    /// <summary>When the member is declared dead unless it heartbeats (or is parked in a join or sync).</summary>
    public DateTimeOffset SessionDeadline { get; set; }

    /// <summary>True until the member's first join completes; used by the initial rebalance delay.</summary>
    public bool IsNew { get; set; } = true;

    public void Update(JoinGroupCommand join)
    {
        ClientId = join.ClientId;
        ClientHost = join.ClientHost;
        SessionTimeoutMs = join.SessionTimeoutMs;
        RebalanceTimeoutMs = join.RebalanceTimeoutMs;
        Protocols = join.Protocols;
    }

    public byte[] MetadataFor(string? protocolName)
    {
        foreach (var protocol in Protocols)
        {
            if (protocol.Name == protocolName)
            {
                return protocol.Metadata;
            }
        }

        return [];
    }

    /// <summary>Same protocols, in the same order, with byte-identical metadata (Kafka's MemberMetadata.matches).</summary>
    public bool Matches(IReadOnlyList<GroupProtocol> protocols)
    {
        if (protocols.Count != Protocols.Count)
        {
            return false;
        }

        for (var i = 0; i < protocols.Count; i++)
        {
            if (protocols[i].Name != Protocols[i].Name || !protocols[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }

        return true;
    }

    public void CompleteJoin(JoinGroupOutcome outcome)
    {
        var pending = AwaitingJoin;
        AwaitingJoin = null;
        pending?.TrySetResult(outcome);
    }

    public void CompleteSync(SyncGroupOutcome outcome)
    {
        var pending = AwaitingSync;
        AwaitingSync = null;
        pending?.TrySetResult(outcome);
    }
}

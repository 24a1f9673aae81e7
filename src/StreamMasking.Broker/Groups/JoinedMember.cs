namespace StreamMasking.Broker.Groups;

/// <summary>A member as the leader sees it in its JoinGroup response (metadata of the selected protocol).</summary>
internal sealed record JoinedMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

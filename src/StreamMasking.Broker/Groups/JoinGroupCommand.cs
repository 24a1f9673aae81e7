namespace StreamMasking.Broker.Groups;

/// <summary>
/// A decoded JoinGroup request, independent of its wire version. RequireKnownMemberId is true from JoinGroup v4: a new
/// dynamic member first gets MEMBER_ID_REQUIRED with its id.
/// </summary>
internal sealed record JoinGroupCommand(
    string GroupId,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string MemberId,
    string? GroupInstanceId,
    string ProtocolType,
    IReadOnlyList<GroupProtocol> Protocols,
    string ClientId,
    string ClientHost,
    bool RequireKnownMemberId);

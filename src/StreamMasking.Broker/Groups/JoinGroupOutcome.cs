using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Groups;

/// <summary>The answer to one JoinGroup request.</summary>
internal sealed record JoinGroupOutcome(
    ErrorCode ErrorCode,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string LeaderId,
    string MemberId,
    IReadOnlyList<JoinedMember> Members)
{
    public static JoinGroupOutcome Error(ErrorCode errorCode, string memberId = "") =>
        new(errorCode, -1, null, null, string.Empty, memberId, []);
}

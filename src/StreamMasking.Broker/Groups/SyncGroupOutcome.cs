using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Groups;

/// <summary>The answer to one SyncGroup request: the member's assignment from the leader.</summary>
internal sealed record SyncGroupOutcome(ErrorCode ErrorCode, string? ProtocolType, string? ProtocolName, byte[] Assignment)
{
    public static SyncGroupOutcome Error(ErrorCode errorCode) => new(errorCode, null, null, []);
}

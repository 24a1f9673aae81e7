using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Groups;

/// <summary>A group as DescribeGroups reports it.</summary>
internal sealed record DescribedGroup(
    ErrorCode ErrorCode, string GroupId, string State, string ProtocolType, string ProtocolData, IReadOnlyList<DescribedMember> Members);

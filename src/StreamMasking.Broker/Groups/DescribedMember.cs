namespace StreamMasking.Broker.Groups;

/// <summary>A member as DescribeGroups reports it.</summary>
internal sealed record DescribedMember(
    string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);

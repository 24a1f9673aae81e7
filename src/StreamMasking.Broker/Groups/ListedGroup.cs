namespace StreamMasking.Broker.Groups;

/// <summary>A group as ListGroups reports it.</summary>
internal sealed record ListedGroup(string GroupId, string ProtocolType, string State);

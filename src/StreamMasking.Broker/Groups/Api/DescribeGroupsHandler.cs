using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>DescribeGroups (15) v0-5: state, protocol and members (assignments once Stable).</summary>
internal sealed class DescribeGroupsHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.DescribeGroups;

    public short MinVersion => 0;

    public short MaxVersion => 5;

    public short FlexibleFromVersion => 5;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var count = reader.ReadArrayCount(f);
        var ids = new List<string>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            ids.Add(reader.ReadString(f));
        }

        if (v >= 3)
        {
            _ = reader.ReadBool();
        }

        reader.SkipTaggedFields(f);
        IReadOnlyList<DescribedGroup> groups = context.Broker.Faults.TryTakeError(ApiKey, out var injected)
            ? ids.Select(id => new DescribedGroup(injected, id, string.Empty, string.Empty, string.Empty, [])).ToList()
            : coordinator.DescribeGroups(ids);
        if (v >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteArrayCount(groups.Count, f);
        foreach (var group in groups)
        {
            writer.WriteInt16((short)group.ErrorCode);
            writer.WriteString(group.GroupId, f);
            writer.WriteString(group.State, f);
            writer.WriteString(group.ProtocolType, f);
            writer.WriteString(group.ProtocolData, f);
            writer.WriteArrayCount(group.Members.Count, f);
            foreach (var member in group.Members)
            {
                writer.WriteString(member.MemberId, f);
                if (v >= 4)
                {
                    writer.WriteNullableString(member.GroupInstanceId, f);
                }

                writer.WriteString(member.ClientId, f);
                writer.WriteString(member.ClientHost, f);
                writer.WriteBytes(member.Metadata, f);
                writer.WriteBytes(member.Assignment, f);
                writer.WriteEmptyTaggedFields(f);
            }

            if (v >= 3)
            {
                writer.WriteInt32(int.MinValue);
            }

            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}

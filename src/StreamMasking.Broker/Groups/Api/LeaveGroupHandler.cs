using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>LeaveGroup (13) v0-5: v0-2 one member; v3+ a batch of members (static ones by instance id).</summary>
internal sealed class LeaveGroupHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.LeaveGroup;

    public short MinVersion => 0;

    public short MaxVersion => 5;

    public short FlexibleFromVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var groupId = reader.ReadString(f);
        var members = new List<(string MemberId, string? GroupInstanceId)>();
        if (v <= 2)
        {
            members.Add((reader.ReadString(f), null));
        }
        else
        {
            var count = reader.ReadArrayCount(f);
            for (var i = 0; i < count; i++)
            {
                var memberId = reader.ReadString(f);
                var instanceId = reader.ReadNullableString(f);
                if (v >= 5)
                {
                    _ = reader.ReadNullableString(f);
                }

                reader.SkipTaggedFields(f);
                members.Add((memberId, instanceId));
            }
        }

        reader.SkipTaggedFields(f);
        IReadOnlyList<ErrorCode> results = context.Broker.Faults.TryTakeError(ApiKey, out var injected)
            ? members.Select(_ => injected).ToList()
            : coordinator.LeaveGroup(groupId, members);
        if (v >= 1)
        {
            writer.WriteInt32(0);
        }

        if (v <= 2)
        {
            writer.WriteInt16((short)results[0]);
        }
        else
        {
            writer.WriteInt16((short)ErrorCode.None);
            writer.WriteArrayCount(members.Count, f);
            for (var i = 0; i < members.Count; i++)
            {
                writer.WriteString(members[i].MemberId, f);
                writer.WriteNullableString(members[i].GroupInstanceId, f);
                writer.WriteInt16((short)results[i]);
                writer.WriteEmptyTaggedFields(f);
            }
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}

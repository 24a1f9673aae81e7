using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>JoinGroup (11) v0-9. The answer is parked until the rebalance completes (or the member id round trip of v4+).</summary>
internal sealed class JoinGroupHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.JoinGroup;

    public short MinVersion => 0;

    public short MaxVersion => 9;

    public short FlexibleFromVersion => 6;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var groupId = reader.ReadString(f);
        var sessionTimeoutMs = reader.ReadInt32();
        var rebalanceTimeoutMs = v >= 1 ? reader.ReadInt32() : sessionTimeoutMs;
        var memberId = reader.ReadString(f);
        var instanceId = v >= 5 ? reader.ReadNullableString(f) : null;
        var protocolType = reader.ReadString(f);
        var count = reader.ReadArrayCount(f);
        var protocols = new List<GroupProtocol>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString(f);
            var metadata = reader.ReadBytes(f).ToArray();
            reader.SkipTaggedFields(f);
            protocols.Add(new GroupProtocol(name, metadata));
        }

        if (v >= 8)
        {
            _ = reader.ReadNullableString(f);
        }

        reader.SkipTaggedFields(f);
        JoinGroupOutcome outcome;
        if (context.Broker.Faults.TryTakeError(ApiKey, out var injected))
        {
            outcome = JoinGroupOutcome.Error(injected, memberId);
        }
        else
        {
            var clientHost = context.RemoteEndPoint is System.Net.IPEndPoint ip ? "/" + ip.Address : string.Empty;
            var command = new JoinGroupCommand(groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, instanceId, protocolType,
                protocols, context.ClientId ?? string.Empty, clientHost, RequireKnownMemberId: v >= 4);
            outcome = await coordinator.JoinGroupAsync(command).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (v >= 2)
        {
            writer.WriteInt32(0);
        }

        writer.WriteInt16((short)outcome.ErrorCode);
        writer.WriteInt32(outcome.GenerationId);
        if (v >= 7)
        {
            writer.WriteNullableString(outcome.ProtocolType, f);
            writer.WriteNullableString(outcome.ProtocolName, f);
        }
        else
        {
            writer.WriteString(outcome.ProtocolName ?? string.Empty, f);
        }

        writer.WriteString(outcome.LeaderId, f);
        if (v >= 9)
        {
            writer.WriteBool(false);
        }

        writer.WriteString(outcome.MemberId, f);
        writer.WriteArrayCount(outcome.Members.Count, f);
        foreach (var member in outcome.Members)
        {
            writer.WriteString(member.MemberId, f);
            if (v >= 5)
            {
                writer.WriteNullableString(member.GroupInstanceId, f);
            }

            writer.WriteBytes(member.Metadata, f);
            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteEmptyTaggedFields(f);
        return true;
    }
}

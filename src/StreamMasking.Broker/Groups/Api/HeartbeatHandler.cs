using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>Heartbeat (12) v0-4: keeps a member alive; REBALANCE_IN_PROGRESS tells it to rejoin.</summary>
internal sealed class HeartbeatHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.Heartbeat;

    public short MinVersion => 0;

    public short MaxVersion => 4;

    public short FlexibleFromVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var groupId = reader.ReadString(f);
        var generationId = reader.ReadInt32();
        var memberId = reader.ReadString(f);
        var instanceId = v >= 3 ? reader.ReadNullableString(f) : null;
        reader.SkipTaggedFields(f);
        var error = context.Broker.Faults.TryTakeError(ApiKey, out var injected)
            ? injected
            : coordinator.Heartbeat(groupId, generationId, memberId, instanceId);
        if (v >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteInt16((short)error);
        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}

using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>SyncGroup (14) v0-5: the leader sends the assignment; every member waits for its share.</summary>
internal sealed class SyncGroupHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.SyncGroup;

    public short MinVersion => 0;

    public short MaxVersion => 5;

    public short FlexibleFromVersion => 4;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var groupId = reader.ReadString(f);
        var generationId = reader.ReadInt32();
        var memberId = reader.ReadString(f);
        var instanceId = v >= 3 ? reader.ReadNullableString(f) : null;
        string? protocolType = null;
        string? protocolName = null;
        if (v >= 5)
        {
            protocolType = reader.ReadNullableString(f);
            protocolName = reader.ReadNullableString(f);
        }

        var count = reader.ReadArrayCount(f);
        var assignments = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var member = reader.ReadString(f);
            assignments[member] = reader.ReadBytes(f).ToArray();
            reader.SkipTaggedFields(f);
        }

        reader.SkipTaggedFields(f);
        var outcome = context.Broker.Faults.TryTakeError(ApiKey, out var injected)
            ? SyncGroupOutcome.Error(injected)
            : await coordinator.SyncGroupAsync(groupId, generationId, memberId, instanceId, protocolType, protocolName, assignments)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (v >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteInt16((short)outcome.ErrorCode);
        if (v >= 5)
        {
            writer.WriteNullableString(outcome.ProtocolType, f);
            writer.WriteNullableString(outcome.ProtocolName, f);
        }

        writer.WriteBytes(outcome.Assignment, f);
        writer.WriteEmptyTaggedFields(f);
        return true;
    }
}

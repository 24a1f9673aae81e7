using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>DeleteGroups (42) v0-2: deletes empty groups and their committed offsets.</summary>
internal sealed class DeleteGroupsHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.DeleteGroups;

    public short MinVersion => 0;

    public short MaxVersion => 2;

    public short FlexibleFromVersion => 2;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var f = context.IsFlexible;
        var count = reader.ReadArrayCount(f);
        var ids = new List<string>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            ids.Add(reader.ReadString(f));
        }

        reader.SkipTaggedFields(f);
        IReadOnlyList<ErrorCode> results = context.Broker.Faults.TryTakeError(ApiKey, out var injected)
            ? ids.Select(_ => injected).ToList()
            : coordinator.DeleteGroups(ids);
        writer.WriteInt32(0);
        writer.WriteArrayCount(ids.Count, f);
        for (var i = 0; i < ids.Count; i++)
        {
            writer.WriteString(ids[i], f);
            writer.WriteInt16((short)results[i]);
            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}

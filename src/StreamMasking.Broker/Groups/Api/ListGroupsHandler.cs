using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>ListGroups (16) v0-5: every group (all are "classic"), v4 state filter, v5 type filter.</summary>
internal sealed class ListGroupsHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.ListGroups;

    public short MinVersion => 0;

    public short MaxVersion => 5;

    public short FlexibleFromVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var states = v >= 4 ? ReadStrings(reader, f) : [];
        var types = v >= 5 ? ReadStrings(reader, f) : [];
        reader.SkipTaggedFields(f);
        var error = context.Broker.Faults.TryTakeError(ApiKey, out var injected) ? injected : ErrorCode.None;
        var groups = error != ErrorCode.None || (types.Count > 0 && !types.Contains("classic", StringComparer.OrdinalIgnoreCase))
            ? []
            : coordinator.ListGroups(states);
        if (v >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteInt16((short)error);
        writer.WriteArrayCount(groups.Count, f);
        foreach (var group in groups)
        {
            writer.WriteString(group.GroupId, f);
            writer.WriteString(group.ProtocolType, f);
            if (v >= 4)
            {
                writer.WriteString(group.State, f);
            }

            if (v >= 5)
            {
                writer.WriteString("classic", f);
            }

            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }

    private static List<string> ReadStrings(KafkaReader reader, bool f)
    {
        var count = reader.ReadArrayCount(f);
        var values = new List<string>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            values.Add(reader.ReadString(f));
        }

        return values;
    }
}

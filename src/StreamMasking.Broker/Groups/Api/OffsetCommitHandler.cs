using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>OffsetCommit (8) v0-9: member/generation-checked commits, or simple commits with generation -1.</summary>
internal sealed class OffsetCommitHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.OffsetCommit;

    public short MinVersion => 0;

    public short MaxVersion => 9;

    public short FlexibleFromVersion => 8;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var groupId = reader.ReadString(f);
        var generationId = v >= 1 ? reader.ReadInt32() : -1;
        var memberId = v >= 1 ? reader.ReadString(f) : string.Empty;
        var instanceId = v >= 7 ? reader.ReadNullableString(f) : null;
        if (v is >= 2 and <= 4)
        {
            _ = reader.ReadInt64();
        }

        var now = context.Broker.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var topics = OffsetCodec.ReadCommitTopics(reader, f, now, leaderEpochFromVersion: v >= 6, commitTimestamp: v == 1);
        reader.SkipTaggedFields(f);
        var flat = topics.SelectMany(t => t.Offsets).ToList();
        IReadOnlyList<ErrorCode> errors = context.Broker.Faults.TryTakeError(ApiKey, out var injected)
            ? flat.Select(_ => injected).ToList()
            : coordinator.CommitOffsets(groupId, generationId, memberId, instanceId, flat);
        if (v >= 3)
        {
            writer.WriteInt32(0);
        }

        OffsetCodec.WritePartitionErrors(writer, f, topics, errors);
        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}

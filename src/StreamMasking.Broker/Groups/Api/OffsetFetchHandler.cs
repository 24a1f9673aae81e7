using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>
/// OffsetFetch (9) v0-9: committed offsets (-1 when none); v2+ null topics = all; v7+ require_stable answers
/// UNSTABLE_OFFSET_COMMIT while a transaction has staged an offset; v8+ several groups per request.
/// </summary>
internal sealed class OffsetFetchHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.OffsetFetch;

    public short MinVersion => 0;

    public short MaxVersion => 9;

    public short FlexibleFromVersion => 6;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var groups = new List<(string GroupId, List<TopicPartitionKey>? Partitions)>();
        if (v <= 7)
        {
            var groupId = reader.ReadString(f);
            groups.Add((groupId, ReadTopics(reader, f)));
        }
        else
        {
            var count = reader.ReadArrayCount(f);
            for (var i = 0; i < count; i++)
            {
                var groupId = reader.ReadString(f);
                if (v >= 9)
                {
                    _ = reader.ReadNullableString(f);
                    _ = reader.ReadInt32();
                }

                groups.Add((groupId, ReadTopics(reader, f)));
                reader.SkipTaggedFields(f);
            }
        }

        var requireStable = v >= 7 && reader.ReadBool();
        reader.SkipTaggedFields(f);
        var injectedError = context.Broker.Faults.TryTakeError(ApiKey, out var injected) ? injected : ErrorCode.None;
        if (v >= 3)
        {
            writer.WriteInt32(0);
        }

        if (v <= 7)
        {
            var (groupId, partitions) = groups[0];
            var results = injectedError == ErrorCode.None ? coordinator.FetchOffsets(groupId, partitions, requireStable) : [];
            WriteTopics(writer, f, results, leaderEpoch: v >= 5);
            if (v >= 2)
            {
                writer.WriteInt16((short)injectedError);
            }
        }
        else
        {
            writer.WriteArrayCount(groups.Count, f);
            foreach (var (groupId, partitions) in groups)
            {
                writer.WriteString(groupId, f);
                var results = injectedError == ErrorCode.None ? coordinator.FetchOffsets(groupId, partitions, requireStable) : [];
                WriteTopics(writer, f, results, leaderEpoch: true);
                writer.WriteInt16((short)injectedError);
                writer.WriteEmptyTaggedFields(f);
            }
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }

    private static List<TopicPartitionKey>? ReadTopics(KafkaReader reader, bool f)
    {
        var topicCount = reader.ReadArrayCount(f);
        if (topicCount < 0)
        {
            return null;
        }

        var partitions = new List<TopicPartitionKey>();
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString(f);
            var count = reader.ReadArrayCount(f);
            for (var p = 0; p < count; p++)
            {
                partitions.Add(new TopicPartitionKey(name, reader.ReadInt32()));
            }

            reader.SkipTaggedFields(f);
        }

        return partitions;
    }

    private static void WriteTopics(KafkaWriter writer, bool f, IReadOnlyList<OffsetFetchResult> results, bool leaderEpoch)
    {
        var byTopic = results.GroupBy(r => r.Partition.Topic, StringComparer.Ordinal).ToList();
        writer.WriteArrayCount(byTopic.Count, f);
        foreach (var topic in byTopic)
        {
            writer.WriteString(topic.Key, f);
            writer.WriteArrayCount(topic.Count(), f);
            foreach (var result in topic)
            {
                writer.WriteInt32(result.Partition.Partition);
                writer.WriteInt64(result.Offset);
                if (leaderEpoch)
                {
                    writer.WriteInt32(result.LeaderEpoch);
                }

                writer.WriteNullableString(result.Metadata, f);
                writer.WriteInt16((short)result.ErrorCode);
                writer.WriteEmptyTaggedFields(f);
            }

            writer.WriteEmptyTaggedFields(f);
        }
    }
}

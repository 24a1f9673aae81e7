using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>Topic/partition offset lists shared by OffsetCommit and TxnOffsetCommit.</summary>
internal static class OffsetCodec
{
    public static List<(string Topic, List<KeyValuePair<TopicPartitionKey, CommittedOffset>> Offsets)> ReadCommitTopics(
        KafkaReader reader, bool f, long now, bool leaderEpochFromVersion, bool commitTimestamp)
    {
        var topicCount = reader.ReadArrayCount(f);
        var topics = new List<(string, List<KeyValuePair<TopicPartitionKey, CommittedOffset>>)>(Math.Max(topicCount, 0));
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString(f);
            var partitionCount = reader.ReadArrayCount(f);
            var offsets = new List<KeyValuePair<TopicPartitionKey, CommittedOffset>>(Math.Max(partitionCount, 0));
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = reader.ReadInt32();
                var offset = reader.ReadInt64();
                var leaderEpoch = leaderEpochFromVersion ? reader.ReadInt32() : -1;
                var timestamp = commitTimestamp ? reader.ReadInt64() : -1;
                var metadata = reader.ReadNullableString(f);
                reader.SkipTaggedFields(f);
                offsets.Add(new(new TopicPartitionKey(name, partition), new CommittedOffset(offset, leaderEpoch, metadata, timestamp >= 0 ? timestamp : now)));
            }

            reader.SkipTaggedFields(f);
            topics.Add((name, offsets));
        }

        return topics;
    }

    public static void WritePartitionErrors(
        KafkaWriter writer, bool f, List<(string Topic, List<KeyValuePair<TopicPartitionKey, CommittedOffset>> Offsets)> topics, IReadOnlyList<ErrorCode> errors)
    {
        var index = 0;
        writer.WriteArrayCount(topics.Count, f);
        foreach (var (topic, offsets) in topics)
        {
            writer.WriteString(topic, f);
            writer.WriteArrayCount(offsets.Count, f);
            foreach (var offset in offsets)
            {
                writer.WriteInt32(offset.Key.Partition);
                writer.WriteInt16((short)errors[index++]);
                writer.WriteEmptyTaggedFields(f);
            }

            writer.WriteEmptyTaggedFields(f);
        }
    }
}

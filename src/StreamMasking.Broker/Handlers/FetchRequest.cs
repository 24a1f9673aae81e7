using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Handlers;

/// <summary>The parts of a Fetch request v4-12 this broker uses.</summary>
internal sealed record FetchRequest(int MaxWaitMs, int MinBytes, int MaxBytes, bool ReadCommitted, IReadOnlyList<(string Topic, IReadOnlyList<FetchPartition> Partitions)> Topics)
{
    public static FetchRequest Read(KafkaReader reader, short v, bool f)
    {
        _ = reader.ReadInt32();
        var maxWait = reader.ReadInt32();
        var minBytes = reader.ReadInt32();
        var maxBytes = reader.ReadInt32();
        var isolation = reader.ReadInt8();
        if (v >= 7)
        {
            _ = reader.ReadInt32();
            _ = reader.ReadInt32();
        }

        var topicCount = reader.ReadArrayCount(f);
        var topics = new List<(string, IReadOnlyList<FetchPartition>)>(Math.Max(0, topicCount));
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString(f);
            var partitionCount = reader.ReadArrayCount(f);
            var partitions = new List<FetchPartition>(Math.Max(0, partitionCount));
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = reader.ReadInt32();
                if (v >= 9)
                {
                    _ = reader.ReadInt32();
                }

                var offset = reader.ReadInt64();
                if (v >= 12)
                {
                    _ = reader.ReadInt32();
                }

                if (v >= 5)
                {
                    _ = reader.ReadInt64();
                }

                var partitionMax = reader.ReadInt32();
                reader.SkipTaggedFields(f);
                partitions.Add(new FetchPartition(partition, offset, partitionMax));
            }

            reader.SkipTaggedFields(f);
            topics.Add((name, partitions));
        }

        if (v >= 7)
        {
            var forgotten = reader.ReadArrayCount(f);
            for (var i = 0; i < forgotten; i++)
            {
                _ = reader.ReadString(f);
                var n = reader.ReadArrayCount(f);
                for (var j = 0; j < n; j++)
                {
                    _ = reader.ReadInt32();
                }

                reader.SkipTaggedFields(f);
            }
        }

        if (v >= 11)
        {
            _ = reader.ReadString(f);
        }

        reader.SkipTaggedFields(f);
        return new FetchRequest(maxWait, minBytes, maxBytes, isolation == 1, topics);
    }
}

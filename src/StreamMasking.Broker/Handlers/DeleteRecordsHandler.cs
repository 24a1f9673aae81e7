using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Handlers;

/// <summary>
/// DeleteRecords (21) v0-2: moves each partition's log start offset up to the given offset (-1 = the high
/// watermark); records below it are no longer readable and whole segments below it are deleted.
/// </summary>
internal sealed class DeleteRecordsHandler : IApiHandler
{
    public ApiKey ApiKey => ApiKey.DeleteRecords;

    public short MinVersion => 0;

    public short MaxVersion => 2;

    public short FlexibleFromVersion => 2;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var f = context.IsFlexible;
        var topics = new List<(string Name, List<(int Partition, long Offset)> Partitions)>();
        var topicCount = reader.ReadArrayCount(f);
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString(f);
            var partitionCount = reader.ReadArrayCount(f);
            var partitions = new List<(int, long)>(Math.Max(0, partitionCount));
            for (var p = 0; p < partitionCount; p++)
            {
                partitions.Add((reader.ReadInt32(), reader.ReadInt64()));
                reader.SkipTaggedFields(f);
            }

            reader.SkipTaggedFields(f);
            topics.Add((name, partitions));
        }

        _ = reader.ReadInt32();
        reader.SkipTaggedFields(f);
        var injected = context.Broker.Faults.TryTakeError(ApiKey, out var injectedError);
        writer.WriteInt32(0);
        writer.WriteArrayCount(topics.Count, f);
        foreach (var (name, partitions) in topics)
        {
            writer.WriteString(name, f);
            writer.WriteArrayCount(partitions.Count, f);
            foreach (var (partition, offset) in partitions)
            {
                var log = context.Broker.Topics.GetPartition(name, partition);
                var (error, low) = injected ? (injectedError, -1L)
                    : log is null ? (ErrorCode.UnknownTopicOrPartition, -1L)
                    : log.DeleteRecordsBefore(offset);
                writer.WriteInt32(partition);
                writer.WriteInt64(low);
                writer.WriteInt16((short)error);
                writer.WriteEmptyTaggedFields(f);
            }

            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}

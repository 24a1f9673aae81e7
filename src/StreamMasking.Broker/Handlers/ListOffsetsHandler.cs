using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Handlers;

/// <summary>
/// ListOffsets (2) v1-7: -2 earliest, -1 latest (the LSO for read_committed), -3 max timestamp (v7), or the first
/// offset whose timestamp is at or after the given one (-1/-1 when none).
/// </summary>
internal sealed class ListOffsetsHandler : IApiHandler
{
    private const long Latest = -1;
    private const long Earliest = -2;
    private const long MaxTimestamp = -3;

    public ApiKey ApiKey => ApiKey.ListOffsets;

    public short MinVersion => 1;

    public short MaxVersion => 7;

    public short FlexibleFromVersion => 6;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        _ = reader.ReadInt32();
        var readCommitted = v >= 2 && reader.ReadInt8() == 1;
        var injected = context.Broker.Faults.TryTakeError(ApiKey, out var injectedError);
        var topicCount = reader.ReadArrayCount(f);
        if (v >= 2)
        {
            writer.WriteInt32(0);
        }

        writer.WriteArrayCount(topicCount, f);
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString(f);
            writer.WriteString(name, f);
            var partitionCount = reader.ReadArrayCount(f);
            writer.WriteArrayCount(partitionCount, f);
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = reader.ReadInt32();
                if (v >= 4)
                {
                    _ = reader.ReadInt32();
                }

                var timestamp = reader.ReadInt64();
                reader.SkipTaggedFields(f);
                var (error, ts, offset) = injected ? (injectedError, -1L, -1L) : Lookup(context.Broker, name, partition, timestamp, readCommitted);
                writer.WriteInt32(partition);
                writer.WriteInt16((short)error);
                writer.WriteInt64(ts);
                writer.WriteInt64(offset);
                if (v >= 4)
                {
                    writer.WriteInt32(error == ErrorCode.None ? 0 : -1);
                }

                writer.WriteEmptyTaggedFields(f);
            }

            reader.SkipTaggedFields(f);
            writer.WriteEmptyTaggedFields(f);
        }

        reader.SkipTaggedFields(f);
        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }

    private static (ErrorCode, long Timestamp, long Offset) Lookup(BrokerContext broker, string topic, int partition, long timestamp, bool readCommitted)
    {
        var log = broker.Topics.GetPartition(topic, partition);
        if (log is null)
        {
            return (ErrorCode.UnknownTopicOrPartition, -1, -1);
        }

        var upper = readCommitted ? log.LastStableOffset : log.HighWatermark;
        switch (timestamp)
        {
            case Latest:
                return (ErrorCode.None, -1, upper);
            case Earliest:
                return (ErrorCode.None, -1, log.LogStartOffset);
            case MaxTimestamp:
                return log.MaxTimestampOffset() is { } max ? (ErrorCode.None, max.Timestamp, max.Offset) : (ErrorCode.None, -1, -1);
            case < 0:
                return (ErrorCode.UnsupportedVersion, -1, -1);
            default:
                return log.OffsetForTimestamp(timestamp, upper) is { } found
                    ? (ErrorCode.None, found.Timestamp, found.Offset)
                    : (ErrorCode.None, -1, -1);
        }
    }
}

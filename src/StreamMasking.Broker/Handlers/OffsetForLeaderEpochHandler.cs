using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Handlers;

/// <summary>
/// OffsetForLeaderEpoch (23) v2-4: there is one leader epoch (0) per partition, so epoch 0 ends at the log end
/// offset and a later epoch is unknown (-1/-1), as Kafka answers for epochs it never had.
/// </summary>
internal sealed class OffsetForLeaderEpochHandler : IApiHandler
{
    public ApiKey ApiKey => ApiKey.OffsetForLeaderEpoch;

    public short MinVersion => 2;

    public short MaxVersion => 4;

    public short FlexibleFromVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        if (v >= 3)
        {
            _ = reader.ReadInt32();
        }

        var topicCount = reader.ReadArrayCount(f);
        writer.WriteInt32(0);
        writer.WriteArrayCount(topicCount, f);
        for (var t = 0; t < topicCount; t++)
        {
            var topic = reader.ReadString(f);
            writer.WriteString(topic, f);
            var partitionCount = reader.ReadArrayCount(f);
            writer.WriteArrayCount(partitionCount, f);
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = reader.ReadInt32();
                var currentEpoch = reader.ReadInt32();
                var leaderEpoch = reader.ReadInt32();
                reader.SkipTaggedFields(f);
                var log = context.Broker.Topics.GetPartition(topic, partition);
                var error = log is null ? ErrorCode.UnknownTopicOrPartition
                    : currentEpoch > 0 ? ErrorCode.UnknownLeaderEpoch
                    : ErrorCode.None;
                var known = error == ErrorCode.None && leaderEpoch <= 0;
                writer.WriteInt16((short)error);
                writer.WriteInt32(partition);
                writer.WriteInt32(known ? 0 : -1);
                writer.WriteInt64(known ? log!.HighWatermark : -1);
                writer.WriteEmptyTaggedFields(f);
            }

            reader.SkipTaggedFields(f);
            writer.WriteEmptyTaggedFields(f);
        }

        reader.SkipTaggedFields(f);
        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}

using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Transactions;

/// <summary>Writes transaction markers straight into this broker's partition logs.</summary>
internal sealed class PartitionMarkerWriter(TopicManager topics) : ITransactionMarkerWriter
{
    // A single broker never changes coordinator, so its coordinator epoch is constant.
    private const int CoordinatorEpoch = 0;

    public ErrorCode WriteMarker(string topic, int partition, long producerId, short producerEpoch, bool commit)
    {
        var log = topics.GetPartition(topic, partition);
        return log is null
            ? ErrorCode.UnknownTopicOrPartition
            : log.AppendControlMarker(producerId, producerEpoch, commit, CoordinatorEpoch).Error;
    }
}

using Confluent.Kafka;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.State;

/// <summary>
/// Sends changelog records through the loop's <see cref="RecordCollector"/> (its transactional producer), so each
/// state change joins the same Kafka transaction as the outputs and input offsets it belongs to. Tracks the highest acknowledged offset per
/// changelog partition: after a commit it tells how far the changelog is known to reflect the local store.
/// </summary>
internal sealed class ProducerChangelogSink : IChangelogSink
{
    private readonly RecordCollector _collector;
    private readonly Lock _gate = new();
    private readonly Dictionary<TopicPartition, long> _highestAcked = [];

    internal ProducerChangelogSink(RecordCollector collector)
    {
        _collector = collector;
    }

    public void Send(string topic, int partition, byte[] key, byte[]? value)
    {
        _collector.Send(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?> { Key = key, Value = value }, OnDelivered);
    }

    /// <inheritdoc />
    /// <remarks>A delivery report still in flight only makes this lower, which is safe.</remarks>
    public long? NextOffsetAfterAcknowledged(string topic, int partition)
    {
        lock (_gate)
        {
            return _highestAcked.TryGetValue(new TopicPartition(topic, partition), out var offset) ? offset + 1 : null;
        }
    }

    // Runs on the producer's delivery-report thread.
    private void OnDelivered(DeliveryReport<byte[]?, byte[]?> report)
    {
        lock (_gate)
        {
            if (report.Error.IsError)
            {
                // The producer's transaction cannot commit now; the loop sees the error when it commits.
                return;
            }

            var tp = report.TopicPartition;
            var offset = report.Offset.Value;
            if (!_highestAcked.TryGetValue(tp, out var known) || offset > known)
            {
                _highestAcked[tp] = offset;
            }
        }
    }
}

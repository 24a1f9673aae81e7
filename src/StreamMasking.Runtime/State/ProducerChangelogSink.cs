using Confluent.Kafka;

namespace StreamMasking.Runtime.State;

/// <summary>
/// Sends changelog records through the caller's transactional producer, so each state change joins the same Kafka
/// transaction as the outputs and input offsets it belongs to. Tracks the highest acknowledged offset per
/// changelog partition: after a commit it tells how far the changelog is known to reflect the local store.
/// </summary>
internal sealed class ProducerChangelogSink : IChangelogSink
{
    private static readonly TimeSpan QueueFullBackoff = TimeSpan.FromMilliseconds(20);

    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly Lock _gate = new();
    private readonly Dictionary<TopicPartition, long> _highestAcked = [];

    internal ProducerChangelogSink(IProducer<byte[]?, byte[]?> producer)
    {
        _producer = producer;
    }

    public void Send(string topic, int partition, byte[] key, byte[]? value)
    {
        var message = new Message<byte[]?, byte[]?> { Key = key, Value = value };
        var target = new TopicPartition(topic, partition);
        while (true)
        {
            try
            {
                _producer.Produce(target, message, OnDelivered);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // The local queue drains as the broker acknowledges; back off instead of failing the transaction.
                Thread.Sleep(QueueFullBackoff);
            }
        }
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

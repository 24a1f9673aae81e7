using Confluent.Kafka;

namespace StreamMasking.Runtime.Processing;

/// <summary>
/// The loop's hooks for reading in timestamp order (<see cref="TimestampOrderedBuffer"/>, stage "route") and for
/// telling the pipeline whether this stage is caught up (<see cref="CatchUpSignal"/>).
/// </summary>
internal sealed partial class TransactionalLoop
{
    private static readonly TimeSpan CatchUpCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly CatchUpSignal? _catchUp;
    private readonly TimestampOrderedBuffer? _ordering;
    private long _lastCatchUpCheck;

    // Per assigned partition with nothing read yet: where reading starts (the committed offset, else the earliest),
    // asked once per assignment.
    private readonly Dictionary<TopicPartition, long> _startOffsets = [];

    // The next record to process: the oldest buffered head when reading in timestamp order, else the consumer's next.
    private ConsumeResult<byte[]?, byte[]?>? NextRecord(IConsumer<byte[]?, byte[]?> consumer) =>
        _ordering is { } ordering ? ordering.Next(consumer, _settings.ConsumeTimeout) : consumer.Consume(_settings.ConsumeTimeout);

    // Where processing of a partition continues: the first buffered record, else the consumer's position.
    private Offset PositionOf(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition) =>
        _ordering?.NextOffset(partition) ?? consumer.Position(partition);

    private void Rewound(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition) => _ordering?.Discard(consumer, partition);

    private void ForgetBuffered(IEnumerable<TopicPartition> partitions)
    {
        if (_ordering is not null && _consumer is { } consumer)
        {
            _ordering.Forget(consumer, partitions);
        }
    }

    // Reports whether this stage has read everything on its assignment (checked when the input ran dry, else at
    // most every 100 ms: the check asks the consumer about every assigned partition).
    private void ReportCatchUp(bool nothingConsumed)
    {
        if (_catchUp is null || _consumer is not { } consumer
            || (!nothingConsumed && _time.GetElapsedTime(_lastCatchUpCheck) < CatchUpCheckInterval))
        {
            return;
        }

        _lastCatchUpCheck = _time.GetTimestamp();
        _catchUp.Report(_settings.LoopName, IsCaughtUp(consumer, nothingConsumed));
    }

    // Lag 0 on every assigned partition, nothing buffered. The broker's end is only known once a fetch answered
    // (before that, the lag is unknown: not caught up); a trailing transaction marker takes one offset the consumer
    // never returns. A partition with no record read since assignment has no position: its lag is then counted from
    // where reading starts, so records held back by a producer's open transaction (the read_committed consumer
    // returns nothing) do not look like an empty partition.
    private bool IsCaughtUp(IConsumer<byte[]?, byte[]?> consumer, bool nothingConsumed)
    {
        if (_ordering is { IsEmpty: false })
        {
            return false;
        }

        foreach (var partition in consumer.Assignment)
        {
            var high = consumer.GetWatermarkOffsets(partition).High.Value;
            if (high < 0)
            {
                return false;
            }

            var position = consumer.Position(partition).Value;
            if (position < 0)
            {
                if (!nothingConsumed || StartOffset(consumer, partition) is not { } start)
                {
                    return false;
                }

                position = start;
            }

            if (high - position > 1)
            {
                return false;
            }
        }

        return true;
    }

    private long? StartOffset(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        if (_startOffsets.TryGetValue(partition, out var known))
        {
            return known;
        }

        try
        {
            var committed = consumer.Committed([partition], _settings.OperationTimeout)[0].Offset.Value;
            var start = committed >= 0 ? committed : consumer.GetWatermarkOffsets(partition).Low.Value;
            if (start < 0)
            {
                return null;
            }

            _startOffsets[partition] = start;
            return start;
        }
        catch (KafkaException)
        {
            return null; // unknown: not caught up
        }
    }

    private void ForgetStartOffsets() => _startOffsets.Clear();
}

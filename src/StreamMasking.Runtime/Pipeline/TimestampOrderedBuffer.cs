using Confluent.Kafka;

namespace StreamMasking.Runtime.Pipeline;

/// <summary>
/// Hands a loop the records of its assigned partitions in timestamp order, as Kafka Streams' <c>PartitionGroup</c>
/// does: records are buffered per partition, and the next one processed is the head with the oldest timestamp.
/// Without it a backlog is read partition by partition (fetch order), and the first partition's records run the
/// segment's stream time ahead of the others'.
/// </summary>
/// <remarks>
/// A partition whose buffer is empty but that may still have records (not fetched yet, or the broker reports more
/// than the consumer has read) is waited for, up to <c>maxWait</c> per episode (Kafka Streams'
/// <c>max.task.idle.ms</c>); after that the others go on without it. A partition whose buffer is full is paused and
/// resumed once it has drained to half, so memory stays bounded. Records are only buffered: the loop still tracks
/// offsets of what it processed, so a commit never covers a buffered record, and after a seek (rewind) or a
/// revocation the partition's buffer is discarded. Not thread-safe: the loop's thread only.
/// </remarks>
internal sealed class TimestampOrderedBuffer
{
    private const int MaxRecordsPerFill = 500;
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(20);

    private readonly Dictionary<TopicPartition, Queue<ConsumeResult<byte[]?, byte[]?>>> _buffers = [];
    private readonly Dictionary<TopicPartition, long> _emptySince = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly int _maxBuffered;
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;
    private int _count;

    /// <param name="maxBufferedPerPartition">Records buffered per partition before it is paused; at least 2.</param>
    /// <param name="maxWait">Longest wait for a partition that may still have older records.</param>
    /// <param name="time">Clock of the waits.</param>
    internal TimestampOrderedBuffer(int maxBufferedPerPartition, TimeSpan maxWait, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedPerPartition, 2);
        _maxBuffered = maxBufferedPerPartition;
        _maxWait = maxWait;
        _time = time;
    }

    /// <summary>Whether no record is buffered.</summary>
    internal bool IsEmpty => _count == 0;

    /// <summary>
    /// The buffered record with the oldest timestamp, after reading what the consumer has (blocking up to
    /// <paramref name="timeout"/> only when nothing is buffered); null when nothing is buffered or a partition that
    /// may hold older records is still being waited for.
    /// </summary>
    internal ConsumeResult<byte[]?, byte[]?>? Next(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout)
    {
        var waiting = _count > 0 && Waiting(consumer);
        Fill(consumer, _count == 0 ? timeout : waiting ? (timeout < WaitPoll ? timeout : WaitPoll) : TimeSpan.Zero);
        if (_count == 0 || Waiting(consumer))
        {
            return null;
        }

        return Pop(consumer);
    }

    /// <summary>The offset of the next record of <paramref name="partition"/> to process, if one is buffered.</summary>
    internal Offset? NextOffset(TopicPartition partition) =>
        _buffers.TryGetValue(partition, out var queue) && queue.TryPeek(out var head) ? head.Offset : null;

    /// <summary>The consumer was rewound on <paramref name="partition"/>: its buffered records are read again.</summary>
    internal void Discard(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        Drop(partition);
        if (_paused.Remove(partition))
        {
            consumer.Resume([partition]);
        }
    }

    /// <summary>The partitions are being revoked or were lost: forget their buffered records (their next owner reads them).</summary>
    internal void Forget(IConsumer<byte[]?, byte[]?> consumer, IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            Drop(partition);
            _emptySince.Remove(partition);
            if (_paused.Remove(partition))
            {
                try
                {
                    consumer.Resume([partition]);
                }
                catch (KafkaException)
                {
                    // No longer assigned: nothing to resume.
                }
            }
        }
    }

    private void Fill(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout)
    {
        var wait = timeout;
        for (var i = 0; i < MaxRecordsPerFill; i++)
        {
            var record = consumer.Consume(wait);
            wait = TimeSpan.Zero;
            if (record is null)
            {
                return;
            }

            if (record.Message is null)
            {
                continue;
            }

            var partition = record.TopicPartition;
            if (!_buffers.TryGetValue(partition, out var queue))
            {
                queue = new Queue<ConsumeResult<byte[]?, byte[]?>>();
                _buffers.Add(partition, queue);
            }

            queue.Enqueue(record);
            _count++;
            _emptySince.Remove(partition);
            if (queue.Count >= _maxBuffered && _paused.Add(partition))
            {
                consumer.Pause([partition]);
            }
        }
    }

    // Whether an assigned partition with nothing buffered may still hold records older than the buffered heads, and
    // has not been waited for longer than maxWait in this episode.
    private bool Waiting(IConsumer<byte[]?, byte[]?> consumer)
    {
        var waiting = false;
        foreach (var partition in consumer.Assignment)
        {
            if (_buffers.TryGetValue(partition, out var queue) && queue.Count > 0)
            {
                continue;
            }

            if (!MayHaveRecords(consumer, partition))
            {
                _emptySince.Remove(partition);
                continue;
            }

            if (!_emptySince.TryGetValue(partition, out var since))
            {
                since = _time.GetTimestamp();
                _emptySince[partition] = since;
            }

            waiting |= _time.GetElapsedTime(since) < _maxWait;
        }

        return waiting;
    }

    // Not fetched yet, nothing read yet on a non-empty partition, or the broker's end is beyond what was read (by more
    // than the one offset a trailing transaction marker takes).
    private static bool MayHaveRecords(IConsumer<byte[]?, byte[]?> consumer, TopicPartition partition)
    {
        var watermarks = consumer.GetWatermarkOffsets(partition);
        if (watermarks.High.Value < 0)
        {
            return true;
        }

        var position = consumer.Position(partition).Value;
        return position < 0 ? watermarks.High.Value > watermarks.Low.Value : watermarks.High.Value - position > 1;
    }

    private ConsumeResult<byte[]?, byte[]?> Pop(IConsumer<byte[]?, byte[]?> consumer)
    {
        Queue<ConsumeResult<byte[]?, byte[]?>>? oldest = null;
        var oldestTime = long.MaxValue;
        foreach (var queue in _buffers.Values)
        {
            if (queue.TryPeek(out var head) && TimestampOf(head) is var time && (oldest is null || time < oldestTime))
            {
                oldest = queue;
                oldestTime = time;
            }
        }

        var record = oldest!.Dequeue();
        _count--;
        var partition = record.TopicPartition;
        if (oldest.Count <= _maxBuffered / 2 && _paused.Remove(partition))
        {
            consumer.Resume([partition]);
        }

        return record;
    }

    // A record without a timestamp goes first: it holds nothing back and is dead-lettered downstream.
    private static long TimestampOf(ConsumeResult<byte[]?, byte[]?> record) =>
        record.Message.Timestamp.Type == TimestampType.NotAvailable ? long.MinValue : record.Message.Timestamp.UnixTimestampMs;

    private void Drop(TopicPartition partition)
    {
        if (_buffers.Remove(partition, out var queue))
        {
            _count -= queue.Count;
        }
    }
}

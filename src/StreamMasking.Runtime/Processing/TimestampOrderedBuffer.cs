using Confluent.Kafka;

namespace StreamMasking.Runtime.Processing;

/// <summary>
/// Hands a loop the records of its assigned partitions in timestamp order, as Kafka Streams' <c>PartitionGroup</c>
/// does: records are buffered per partition, and the next one processed is the head with the oldest timestamp.
/// Without it a backlog is read partition by partition (fetch order), and the first partition's records run the
/// segment's stream time ahead of the others'.
/// </summary>
/// <remarks>
/// A partition whose buffer is empty but that may still have records (not fetched yet, or the broker reports more
/// than the consumer has read) is waited for, up to <c>maxWait</c> per episode (Kafka Streams'
/// <c>max.task.idle.ms</c>); after that the others go on without it. Memory is bounded by the bytes buffered over
/// all partitions (Kafka Streams' <c>input.buffer.max.bytes</c>): above the bound, each partition holding more than its
/// share (the bound over the assigned partitions) is paused, and resumed once it has drained to half its share (or
/// the whole buffer to half the bound). Partitions under their share keep fetching: they hold little, and one of them
/// is what the order waits for, so one partition far ahead in time cannot stall the others. Pauses are kept that rare
/// because librdkafka discards
/// what it has prefetched for a paused partition and fetches it again on resume: a pause per partition per thousand
/// records cut the route stage to a third of its speed. Records are only buffered: the loop still tracks offsets of
/// what it processed, so a commit never covers a buffered record, and after a seek (rewind) or a revocation the
/// partition's buffer is discarded. Not thread-safe: the loop's thread only.
/// </remarks>
internal sealed class TimestampOrderedBuffer
{
    private const int MaxRecordsPerFill = 500;

    // With records buffered and nothing waited for, the consumer is read again only after this many records: a read
    // that finds librdkafka's queue empty cost about 20 µs (more than routing a record), and asking on every record
    // found it empty almost every time, since fetched records arrive in batches.
    private const int RefillEvery = 128;
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(20);

    private readonly Dictionary<TopicPartition, Queue<Buffered>> _buffers = [];
    private readonly Dictionary<TopicPartition, long> _emptySince = [];
    private readonly HashSet<TopicPartition> _paused = [];

    // The loop's assignment, kept from its rebalance callbacks: asking the consumer (a native call and a list per
    // call) for every record cost more than the routing itself.
    private readonly HashSet<TopicPartition> _assigned = [];
    private int _nonEmpty;
    private readonly long _maxBytes;
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;
    private readonly Dictionary<TopicPartition, long> _partitionBytes = [];
    private int _count;
    private int _poppedSinceFill;
    private long _bytes;

    /// <param name="maxBufferedBytes">Bytes (keys, values and headers) buffered over all partitions before the
    /// partitions holding them are paused; positive.</param>
    /// <param name="maxWait">Longest wait for a partition that may still have older records.</param>
    /// <param name="time">Clock of the waits.</param>
    internal TimestampOrderedBuffer(long maxBufferedBytes, TimeSpan maxWait, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedBytes, 1);
        _maxBytes = maxBufferedBytes;
        _maxWait = maxWait;
        _time = time;
    }

    /// <summary>Whether no record is buffered.</summary>
    internal bool IsEmpty => _count == 0;

    /// <summary>Bytes buffered (keys, values and headers).</summary>
    internal long BufferedBytes => _bytes;

    /// <summary>Partitions paused because the buffer is over its bound.</summary>
    internal int PausedPartitions => _paused.Count;

    /// <summary>
    /// The buffered record with the oldest timestamp, after reading what the consumer has (blocking up to
    /// <paramref name="timeout"/> only when nothing is buffered); null when nothing is buffered or a partition that
    /// may hold older records is still being waited for.
    /// </summary>
    internal ConsumeResult<byte[]?, byte[]?>? Next(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout)
    {
        var waiting = _count > 0 && Waiting(consumer);
        if (_count == 0 || waiting || _poppedSinceFill >= RefillEvery)
        {
            Fill(consumer, _count == 0 ? timeout : waiting ? (timeout < WaitPoll ? timeout : WaitPoll) : TimeSpan.Zero);
            _poppedSinceFill = 0;
        }

        if (_count == 0 || Waiting(consumer))
        {
            return null;
        }

        _poppedSinceFill++;
        return Pop(consumer);
    }

    /// <summary>Partitions were assigned to the loop (eager assignment: the whole new assignment).</summary>
    internal void Assigned(IEnumerable<TopicPartition> partitions) => _assigned.UnionWith(partitions);

    /// <summary>The offset of the next record of <paramref name="partition"/> to process, if one is buffered.</summary>
    internal Offset? NextOffset(TopicPartition partition) =>
        _buffers.TryGetValue(partition, out var queue) && queue.TryPeek(out var head) ? head.Record.Offset : null;

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
            _assigned.Remove(partition);
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
                queue = new Queue<Buffered>();
                _buffers.Add(partition, queue);
            }

            var size = SizeOf(record);
            queue.Enqueue(new Buffered(record, size));
            if (queue.Count == 1)
            {
                _nonEmpty++;
            }

            _count++;
            var crossed = _bytes <= _maxBytes && _bytes + size > _maxBytes;
            _bytes += size;
            _partitionBytes[partition] = _partitionBytes.GetValueOrDefault(partition) + size;
            _emptySince.Remove(partition);
            if (crossed)
            {
                PauseOverShare(consumer, _buffers.Keys);
            }
            else if (_bytes > _maxBytes)
            {
                PauseOverShare(consumer, [partition]);
            }
        }
    }

    // Each assigned partition's fair part of the bound.
    private long Share => _maxBytes / Math.Max(1, _assigned.Count);

    // Over the bound: the partitions holding more than their share stop fetching; the others go on, since they hold
    // little and one of them may be what the order waits for.
    private void PauseOverShare(IConsumer<byte[]?, byte[]?> consumer, IEnumerable<TopicPartition> candidates)
    {
        var share = Share;
        var over = candidates.Where(p => _partitionBytes.GetValueOrDefault(p) > share && !_paused.Contains(p)).ToList();
        if (over.Count > 0)
        {
            consumer.Pause(over);
            _paused.UnionWith(over);
        }
    }

    private static long SizeOf(ConsumeResult<byte[]?, byte[]?> record)
    {
        long size = (record.Message.Key?.Length ?? 0) + (record.Message.Value?.Length ?? 0);
        if (record.Message.Headers is { } headers)
        {
            foreach (var header in headers)
            {
                size += header.Key.Length + (header.GetValueBytes()?.Length ?? 0);
            }
        }

        return size;
    }

    // Whether an assigned partition with nothing buffered may still hold records older than the buffered heads, and
    // has not been waited for longer than maxWait in this episode.
    private bool Waiting(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (_assigned.Count == 0)
        {
            // Not told of an assignment (partitions assigned by hand): ask the consumer.
            _assigned.UnionWith(consumer.Assignment);
        }

        if (_nonEmpty >= _assigned.Count)
        {
            // Every assigned partition has a buffered head: none can hold anything older.
            return false;
        }

        var waiting = false;
        foreach (var partition in _assigned)
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
        Queue<Buffered>? oldest = null;
        var oldestTime = long.MaxValue;
        foreach (var queue in _buffers.Values)
        {
            if (queue.TryPeek(out var head) && TimestampOf(head.Record) is var time && (oldest is null || time < oldestTime))
            {
                oldest = queue;
                oldestTime = time;
            }
        }

        var (record, size) = oldest!.Dequeue();
        var partition = record.TopicPartition;
        _count--;
        _bytes -= size;
        var left = _partitionBytes[partition] -= size;
        if (oldest.Count == 0)
        {
            _nonEmpty--;
        }

        if (_paused.Count == 0)
        {
            return record;
        }

        if (_bytes <= _maxBytes / 2)
        {
            var paused = _paused.ToList();
            _paused.Clear();
            consumer.Resume(paused);
        }
        else if (left <= Share / 2 && _paused.Remove(partition))
        {
            // Down to half its share: fetch again before it runs dry (librdkafka refetches what a pause discarded).
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
            _bytes -= _partitionBytes.GetValueOrDefault(partition);
            _partitionBytes.Remove(partition);
            if (queue.Count > 0)
            {
                _nonEmpty--;
            }
        }
    }

    // A buffered record with its size, counted once on the way in.
    private readonly record struct Buffered(ConsumeResult<byte[]?, byte[]?> Record, long Size);
}

using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Records;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Storage;

/// <summary>
/// The log of one partition: segments of batches, offsets, idempotent-producer state, open transactions and the
/// aborted-transaction index. Single node, so the high watermark is the log end offset. Thread-safe (one lock).
/// </summary>
internal sealed partial class PartitionLog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<LogSegment> _segments = [];
    private readonly Dictionary<long, ProducerStateEntry> _producers = [];
    private readonly List<AbortedTransaction> _aborted = [];
    private readonly string? _directory;
    private readonly TimeProvider _time;
    private readonly Func<TopicConfig> _config;
    private readonly Action _onChange;
    private readonly BatchCache? _cache;

    public PartitionLog(string topic, int partition, string? directory, Func<TopicConfig> config, TimeProvider time, Action onChange, BatchCache? cache = null)
    {
        Topic = topic;
        Partition = partition;
        _directory = directory;
        _config = config;
        _time = time;
        _onChange = onChange;
        _cache = cache;
    }

    public string Topic { get; }

    public int Partition { get; }

    public long LogStartOffset { get; private set; }

    /// <summary>Next offset to assign; also the high watermark (single replica).</summary>
    public long HighWatermark { get; private set; }

    /// <summary>Offset of the first record of the oldest open transaction, or null.</summary>
    public long? FirstUnstableOffset
    {
        get
        {
            lock (_lock)
            {
                return FirstUnstableOffsetLocked();
            }
        }
    }

    /// <summary>Read_committed consumers see offsets below this: the first unstable offset, or the high watermark.</summary>
    public long LastStableOffset
    {
        get
        {
            lock (_lock)
            {
                return FirstUnstableOffsetLocked() ?? HighWatermark;
            }
        }
    }

    public long SizeInBytes
    {
        get
        {
            lock (_lock)
            {
                return _segments.Sum(s => s.SizeInBytes);
            }
        }
    }

    private long? FirstUnstableOffsetLocked()
    {
        long? first = null;
        foreach (var entry in _producers.Values)
        {
            if (entry.OpenTransactionFirstOffset is { } f && (first is null || f < first))
            {
                first = f;
            }
        }

        return first;
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>True if <paramref name="producerId"/> has an open transaction in this partition.</summary>
    public bool HasOpenTransaction(long producerId)
    {
        lock (_lock)
        {
            return _producers.TryGetValue(producerId, out var e) && e.OpenTransactionFirstOffset is not null;
        }
    }

    /// <summary>Latest epoch this partition has seen for a producer id, or -1.</summary>
    public short ProducerEpoch(long producerId)
    {
        lock (_lock)
        {
            return _producers.TryGetValue(producerId, out var e) ? e.Epoch : (short)-1;
        }
    }

    /// <summary>
    /// Appends one producer batch (bytes as received, any compression). Validates magic and CRC, applies the
    /// idempotent-producer rules, assigns offsets and sets LogAppendTime when the topic wants it.
    /// </summary>
    public AppendResult AppendFromProducer(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < RecordBatchHeader.Size)
        {
            return AppendResult.Failed(ErrorCode.CorruptMessage, "Batch shorter than its header.");
        }

        if (RecordBatchHeader.ReadMagic(batch) != 2)
        {
            return AppendResult.Failed(ErrorCode.UnsupportedForMessageFormat, "Only record batch magic 2 is supported.");
        }

        if (RecordBatchHeader.ReadBatchLength(batch) + RecordBatchHeader.LogOverhead != batch.Length)
        {
            return AppendResult.Failed(ErrorCode.CorruptMessage, "Batch length does not match.");
        }

        if (RecordBatchHeader.ReadCrc(batch) != RecordBatchHeader.ComputeCrc(batch))
        {
            return AppendResult.Failed(ErrorCode.CorruptMessage, "Record batch CRC mismatch.");
        }

        var config = _config();
        if (batch.Length > config.MaxMessageBytesValue)
        {
            return AppendResult.Failed(ErrorCode.MessageTooLarge);
        }

        var attributes = RecordBatchHeader.ReadAttributes(batch);
        if ((attributes & RecordBatchHeader.ControlFlag) != 0)
        {
            return AppendResult.Failed(ErrorCode.InvalidRecord, "Clients cannot write control batches.");
        }

        var count = RecordBatchHeader.ReadRecordCount(batch);
        if (count <= 0 || RecordBatchHeader.ReadLastOffsetDelta(batch) != count - 1)
        {
            return AppendResult.Failed(ErrorCode.InvalidRecord, "Record count and last offset delta disagree.");
        }

        var bytes = batch.ToArray();
        lock (_lock)
        {
            return AppendProducerBatchLocked(bytes, attributes, config);
        }
    }

    private AppendResult AppendProducerBatchLocked(byte[] bytes, short attributes, TopicConfig config)
    {
        var span = bytes.AsSpan();
        var producerId = RecordBatchHeader.ReadProducerId(span);
        var epoch = RecordBatchHeader.ReadProducerEpoch(span);
        var firstSeq = RecordBatchHeader.ReadBaseSequence(span);
        var lastSeq = firstSeq < 0 ? -1 : (int)((firstSeq + (long)RecordBatchHeader.ReadLastOffsetDelta(span)) % ((long)int.MaxValue + 1));
        var transactional = (attributes & RecordBatchHeader.TransactionalFlag) != 0;
        ProducerStateEntry? entry = null;
        if (producerId >= 0)
        {
            var error = CheckProducer(producerId, epoch, firstSeq, lastSeq, transactional, out entry, out var duplicate);
            if (duplicate is not null)
            {
                // Kafka answers a retried batch with success and the offset it got the first time.
                return new AppendResult(ErrorCode.None, duplicate.FirstOffset, config.LogAppendTime ? duplicate.Timestamp : -1, LogStartOffset);
            }

            if (error != ErrorCode.None)
            {
                return AppendResult.Failed(error);
            }
        }

        var baseOffset = HighWatermark;
        RecordBatchHeader.WriteBaseOffset(span, baseOffset);
        RecordBatchHeader.WritePartitionLeaderEpoch(span, 0);
        var now = Now;
        long appendTime = -1;
        if (config.LogAppendTime)
        {
            appendTime = now;
            RecordBatchHeader.WriteAttributes(span, (short)(attributes | RecordBatchHeader.TimestampTypeFlag));
            RecordBatchHeader.WriteMaxTimestamp(span, now);
            RecordBatchHeader.UpdateCrc(span);
        }

        var logBatch = LogBatch.FromBytes(bytes);
        AppendLocked(logBatch, config, now);
        if (entry is not null)
        {
            entry.UpdateEpoch(epoch);
            entry.Add(new ProducerStateEntry.CachedBatch(firstSeq, lastSeq, baseOffset, logBatch.LastOffset, appendTime));
            if (transactional && entry.OpenTransactionFirstOffset is null)
            {
                entry.OpenTransactionFirstOffset = baseOffset;
            }
        }

        var result = new AppendResult(ErrorCode.None, baseOffset, appendTime, LogStartOffset);
        _onChange();
        return result;
    }

    private ErrorCode CheckProducer(long producerId, short epoch, int firstSeq, int lastSeq, bool transactional, out ProducerStateEntry entry, out ProducerStateEntry.CachedBatch? duplicate)
    {
        duplicate = null;
        if (!_producers.TryGetValue(producerId, out entry!))
        {
            // Unknown producer (new, or its state was removed with old segments): Kafka accepts any sequence.
            entry = new ProducerStateEntry();
            _producers[producerId] = entry;
            return ErrorCode.None;
        }

        if (epoch < entry.Epoch)
        {
            return ErrorCode.InvalidProducerEpoch;
        }

        if (!transactional && entry.OpenTransactionFirstOffset is not null)
        {
            return ErrorCode.InvalidTxnState;
        }

        if (epoch > entry.Epoch)
        {
            // A bumped epoch restarts sequences at 0.
            return firstSeq == 0 || entry.Epoch < 0 ? ErrorCode.None : ErrorCode.OutOfOrderSequenceNumber;
        }

        duplicate = entry.FindDuplicate(firstSeq, lastSeq);
        if (duplicate is not null)
        {
            return ErrorCode.None;
        }

        var last = entry.LastSequence;
        var inSequence = last < 0 || firstSeq == last + 1 || (firstSeq == 0 && last == int.MaxValue);
        return inSequence ? ErrorCode.None : ErrorCode.OutOfOrderSequenceNumber;
    }

    /// <summary>
    /// Appends a COMMIT or ABORT control marker for <paramref name="producerId"/>, closes its open transaction
    /// here (the LSO moves), indexes an abort, and records <paramref name="producerEpoch"/> as the producer's
    /// epoch so produce requests with an older epoch are fenced (INVALID_PRODUCER_EPOCH).
    /// </summary>
    public AppendResult AppendControlMarker(long producerId, short producerEpoch, bool commit, int coordinatorEpoch)
    {
        lock (_lock)
        {
            if (!_producers.TryGetValue(producerId, out var entry))
            {
                entry = new ProducerStateEntry();
                _producers[producerId] = entry;
            }

            if (producerEpoch < entry.Epoch)
            {
                return AppendResult.Failed(ErrorCode.InvalidProducerEpoch);
            }

            var now = Now;
            var bytes = RecordBatchBuilder.BuildControlMarker(producerId, producerEpoch, commit, coordinatorEpoch, now);
            var offset = HighWatermark;
            RecordBatchHeader.WriteBaseOffset(bytes, offset);
            AppendLocked(LogBatch.FromBytes(bytes), _config(), now);
            ApplyMarkerLocked(entry, producerId, producerEpoch, commit, coordinatorEpoch, offset, _segments[^1]);
            _onChange();
            return new AppendResult(ErrorCode.None, offset, -1, LogStartOffset);
        }
    }

    // `segment` holds the marker: an abort goes into its transaction index, read back by recovery.
    private void ApplyMarkerLocked(ProducerStateEntry entry, long producerId, short epoch, bool commit, int coordinatorEpoch, long markerOffset, LogSegment segment)
    {
        entry.UpdateEpoch(epoch);
        entry.CoordinatorEpoch = coordinatorEpoch;
        var first = entry.OpenTransactionFirstOffset;
        entry.OpenTransactionFirstOffset = null;
        if (!commit && first is not null)
        {
            var aborted = new AbortedTransaction(producerId, first.Value, markerOffset);
            _aborted.Add(aborted);
            segment.IndexAbortedTransaction(aborted, FirstUnstableOffsetLocked() ?? markerOffset + 1);
        }
    }

    private void AppendLocked(LogBatch batch, TopicConfig config, long now)
    {
        var active = _segments.Count == 0 ? null : _segments[^1];
        if (active is null
            || (active.LastOffset is not null && (active.SizeInBytes + batch.SizeInBytes > config.SegmentBytesValue
                                                  || now - active.CreatedAt > config.SegmentMsValue)))
        {
            // As Kafka at a roll: snapshot the producer state at the new segment's base, so recovery after a crash
            // replays at most the active segment's headers.
            WriteProducerSnapshotLocked();
            active?.Seal();
            active = LogSegment.Create(_directory, batch.BaseOffset, now, _cache, config.IndexIntervalBytesValue);
            _segments.Add(active);
        }

        active.Append(batch);
        HighWatermark = batch.LastOffset + 1;
    }
}

using StreamMasking.Broker.Records;

namespace StreamMasking.Broker.Storage;

/// <summary>A record batch as stored in a partition: its bytes (base offset already assigned) and parsed header.</summary>
internal sealed class LogBatch
{
    private LogBatch(byte[] bytes, int size)
    {
        var span = bytes.AsSpan();
        Bytes = bytes;
        SizeInBytes = size;
        BaseOffset = RecordBatchHeader.ReadBaseOffset(span);
        LastOffset = BaseOffset + RecordBatchHeader.ReadLastOffsetDelta(span);
        Attributes = RecordBatchHeader.ReadAttributes(span);
        MaxTimestamp = RecordBatchHeader.ReadMaxTimestamp(span);
        ProducerId = RecordBatchHeader.ReadProducerId(span);
        ProducerEpoch = RecordBatchHeader.ReadProducerEpoch(span);
        BaseSequence = RecordBatchHeader.ReadBaseSequence(span);
        RecordCount = RecordBatchHeader.ReadRecordCount(span);
    }

    public byte[] Bytes { get; }

    public long BaseOffset { get; }

    public long LastOffset { get; }

    public short Attributes { get; }

    public long MaxTimestamp { get; }

    public long ProducerId { get; }

    public short ProducerEpoch { get; }

    public int BaseSequence { get; }

    public int RecordCount { get; }

    /// <summary>Sequence of the last record, with int32 wrap-around like Kafka.</summary>
    public int LastSequence => BaseSequence < 0 ? -1 : (int)((BaseSequence + (long)(LastOffset - BaseOffset)) % ((long)int.MaxValue + 1));

    public bool IsTransactional => (Attributes & RecordBatchHeader.TransactionalFlag) != 0;

    public bool IsControl => (Attributes & RecordBatchHeader.ControlFlag) != 0;

    public CompressionCodec Codec => (CompressionCodec)(Attributes & RecordBatchHeader.CompressionMask);

    /// <summary>Size of the whole batch in the log (also for a header-only batch).</summary>
    public int SizeInBytes { get; }

    /// <summary>Wraps bytes whose header is final (offset assigned, CRC valid).</summary>
    public static LogBatch FromBytes(byte[] bytes) => new(bytes, bytes.Length);

    /// <summary>
    /// Only the 61-byte header of a batch of <paramref name="size"/> bytes: offsets, producer fields and timestamps
    /// are valid, the records are not there (recovery replays producer state from headers).
    /// </summary>
    public static LogBatch FromHeader(byte[] header, int size) => new(header, size);
}

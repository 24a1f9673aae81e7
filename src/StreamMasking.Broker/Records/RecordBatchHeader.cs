using System.Buffers.Binary;

namespace StreamMasking.Broker.Records;

/// <summary>
/// Field offsets and accessors of the record batch v2 header (record-format docs: baseOffset, batchLength,
/// partitionLeaderEpoch, magic, crc, attributes, lastOffsetDelta, baseTimestamp, maxTimestamp, producerId,
/// producerEpoch, baseSequence, records count). The CRC covers everything from attributes to the end.
/// </summary>
internal static class RecordBatchHeader
{
    public const int BaseOffset = 0;
    public const int BatchLength = 8;
    public const int PartitionLeaderEpoch = 12;
    public const int Magic = 16;
    public const int Crc = 17;
    public const int Attributes = 21;
    public const int LastOffsetDelta = 23;
    public const int BaseTimestamp = 27;
    public const int MaxTimestamp = 35;
    public const int ProducerId = 43;
    public const int ProducerEpoch = 51;
    public const int BaseSequence = 53;
    public const int RecordCount = 57;
    public const int Size = 61;

    /// <summary>Bytes of baseOffset + batchLength: batchLength counts everything after them.</summary>
    public const int LogOverhead = 12;

    public const short CompressionMask = 0x07;
    public const short TimestampTypeFlag = 0x08;
    public const short TransactionalFlag = 0x10;
    public const short ControlFlag = 0x20;
    public const short DeleteHorizonFlag = 0x40;

    public static long ReadBaseOffset(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[BaseOffset..]);

    public static int ReadBatchLength(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[BatchLength..]);

    public static sbyte ReadMagic(ReadOnlySpan<byte> batch) => (sbyte)batch[Magic];

    public static uint ReadCrc(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadUInt32BigEndian(batch[Crc..]);

    public static short ReadAttributes(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt16BigEndian(batch[Attributes..]);

    public static int ReadLastOffsetDelta(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDelta..]);

    public static long ReadBaseTimestamp(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[BaseTimestamp..]);

    public static long ReadMaxTimestamp(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[MaxTimestamp..]);

    public static long ReadProducerId(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[ProducerId..]);

    public static short ReadProducerEpoch(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt16BigEndian(batch[ProducerEpoch..]);

    public static int ReadBaseSequence(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[BaseSequence..]);

    public static int ReadRecordCount(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[RecordCount..]);

    public static void WriteBaseOffset(Span<byte> batch, long value) => BinaryPrimitives.WriteInt64BigEndian(batch[BaseOffset..], value);

    public static void WritePartitionLeaderEpoch(Span<byte> batch, int value) => BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpoch..], value);

    public static void WriteAttributes(Span<byte> batch, short value) => BinaryPrimitives.WriteInt16BigEndian(batch[Attributes..], value);

    public static void WriteMaxTimestamp(Span<byte> batch, long value) => BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestamp..], value);

    /// <summary>Computes the CRC over attributes..end.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[Attributes..]);

    public static void UpdateCrc(Span<byte> batch) => BinaryPrimitives.WriteUInt32BigEndian(batch[Crc..], ComputeCrc(batch));
}

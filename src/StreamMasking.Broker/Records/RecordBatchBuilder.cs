using System.Buffers.Binary;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Records;

/// <summary>Builds uncompressed v2 record batches (control markers, compaction output, tests).</summary>
internal static class RecordBatchBuilder
{
    public const long NoProducerId = -1;
    public const short NoProducerEpoch = -1;
    public const int NoSequence = -1;

    /// <summary>Builds a batch with base offset 0 (the log assigns the real one) and a valid CRC.</summary>
    public static byte[] Build(
        IReadOnlyList<Record> records,
        long baseTimestamp,
        long maxTimestamp,
        short attributes = 0,
        long producerId = NoProducerId,
        short producerEpoch = NoProducerEpoch,
        int baseSequence = NoSequence,
        int? lastOffsetDelta = null)
    {
        var writer = new KafkaWriter(RecordBatchHeader.Size + (records.Count * 32));
        writer.WriteInt64(0);
        var lengthAt = writer.ReserveInt32();
        writer.WriteInt32(0);
        writer.WriteInt8(2);
        writer.WriteUInt32(0);
        writer.WriteInt16(attributes);
        writer.WriteInt32(lastOffsetDelta ?? (records.Count == 0 ? 0 : records[^1].OffsetDelta));
        writer.WriteInt64(baseTimestamp);
        writer.WriteInt64(maxTimestamp);
        writer.WriteInt64(producerId);
        writer.WriteInt16(producerEpoch);
        writer.WriteInt32(baseSequence);
        writer.WriteInt32(records.Count);
        RecordCodec.WriteRecords(writer, records);
        writer.PatchInt32(lengthAt, writer.Length - RecordBatchHeader.LogOverhead);
        var bytes = writer.ToArray();
        RecordBatchHeader.UpdateCrc(bytes);
        return bytes;
    }

    /// <summary>
    /// Builds a transaction control batch: key = int16 version 0 + int16 type (0 abort, 1 commit),
    /// value = int16 version 0 + int32 coordinator epoch.
    /// </summary>
    public static byte[] BuildControlMarker(long producerId, short producerEpoch, bool commit, int coordinatorEpoch, long timestamp)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(key.AsSpan(2), commit ? (short)1 : (short)0);
        var value = new byte[6];
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(2), coordinatorEpoch);
        var record = new Record(0, 0, key, value, []);
        return Build(
            [record], timestamp, timestamp,
            (short)(RecordBatchHeader.TransactionalFlag | RecordBatchHeader.ControlFlag),
            producerId, producerEpoch, NoSequence);
    }

    /// <summary>Reads the control type of a control batch: true = commit, false = abort.</summary>
    public static bool IsCommitMarker(ReadOnlyMemory<byte> controlBatch)
    {
        var records = RecordCodec.ReadRecords(controlBatch);
        var key = records[0].Key ?? throw new ProtocolException("Control record without key.");
        return BinaryPrimitives.ReadInt16BigEndian(key.Span[2..]) == 1;
    }
}

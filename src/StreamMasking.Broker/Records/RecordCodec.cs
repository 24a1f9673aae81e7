using System.IO.Compression;
using System.Text;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Records;

/// <summary>
/// Reads and writes the records section of a v2 batch. Only uncompressed and gzip payloads can be decoded here
/// (System.IO.Compression); batches with snappy/lz4/zstd are stored and served as produced, never decoded.
/// </summary>
internal static class RecordCodec
{
    public static bool CanDecode(CompressionCodec codec) => codec is CompressionCodec.None or CompressionCodec.Gzip;

    /// <summary>Decodes all records of a whole batch (header included).</summary>
    public static IReadOnlyList<Record> ReadRecords(ReadOnlyMemory<byte> batch)
    {
        var span = batch.Span;
        var codec = (CompressionCodec)(RecordBatchHeader.ReadAttributes(span) & RecordBatchHeader.CompressionMask);
        var count = RecordBatchHeader.ReadRecordCount(span);
        var payload = batch[RecordBatchHeader.Size..];
        payload = codec switch
        {
            CompressionCodec.None => payload,
            CompressionCodec.Gzip => Gunzip(payload),
            _ => throw new NotSupportedException($"Cannot decode {codec} batches."),
        };

        var reader = new KafkaReader(payload);
        var records = new List<Record>(Math.Max(0, count));
        for (var i = 0; i < count; i++)
        {
            var length = reader.ReadVarInt();
            var end = reader.Position + length;
            _ = reader.ReadInt8();
            var timestampDelta = reader.ReadVarLong();
            var offsetDelta = reader.ReadVarInt();
            var key = ReadVarBytes(reader);
            var value = ReadVarBytes(reader);
            var headerCount = reader.ReadVarInt();
            var headers = new List<RecordHeader>(Math.Max(0, headerCount));
            for (var h = 0; h < headerCount; h++)
            {
                var hk = ReadVarBytes(reader) ?? throw new ProtocolException("Null header key.");
                headers.Add(new RecordHeader(Encoding.UTF8.GetString(hk.Span), ReadVarBytes(reader)));
            }

            if (reader.Position != end)
            {
                throw new ProtocolException("Record length does not match its content.");
            }

            records.Add(new Record(offsetDelta, timestampDelta, key, value, headers));
        }

        return records;
    }

    /// <summary>Encodes records (uncompressed) into <paramref name="writer"/>.</summary>
    public static void WriteRecords(KafkaWriter writer, IEnumerable<Record> records)
    {
        foreach (var record in records)
        {
            var body = new KafkaWriter();
            body.WriteInt8(0);
            body.WriteVarLong(record.TimestampDelta);
            body.WriteVarInt(record.OffsetDelta);
            WriteVarBytes(body, record.Key);
            WriteVarBytes(body, record.Value);
            body.WriteVarInt(record.Headers.Count);
            foreach (var header in record.Headers)
            {
                WriteVarBytes(body, Encoding.UTF8.GetBytes(header.Key));
                WriteVarBytes(body, header.Value);
            }

            writer.WriteVarInt(body.Length);
            writer.WriteRaw(body.WrittenSpan);
        }
    }

    private static ReadOnlyMemory<byte>? ReadVarBytes(KafkaReader reader)
    {
        var length = reader.ReadVarInt();
        return length < 0 ? (ReadOnlyMemory<byte>?)null : reader.ReadRaw(length);
    }

    private static void WriteVarBytes(KafkaWriter writer, ReadOnlyMemory<byte>? bytes)
    {
        if (bytes is null)
        {
            writer.WriteVarInt(-1);
            return;
        }

        writer.WriteVarInt(bytes.Value.Length);
        writer.WriteRaw(bytes.Value.Span);
    }

    private static ReadOnlyMemory<byte> Gunzip(ReadOnlyMemory<byte> payload)
    {
        using var input = new MemoryStream(payload.ToArray());
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}

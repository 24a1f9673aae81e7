using System.Text;
using StreamMasking.Broker.Records;

namespace StreamMasking.Broker.Tests.Storage;

/// <summary>Builds producer batches for log tests.</summary>
internal static class TestBatches
{
    public static byte[] Plain(params (string? Key, string? Value)[] records) =>
        Build(records, producerId: -1, epoch: -1, sequence: -1, transactional: false);

    public static byte[] Idempotent(long producerId, short epoch, int sequence, int count = 1) =>
        Build(Enumerable.Range(0, count).Select(i => ((string?)$"k{i}", (string?)$"v{i}")).ToArray(), producerId, epoch, sequence, transactional: false);

    public static byte[] Transactional(long producerId, short epoch, int sequence, int count = 1) =>
        Build(Enumerable.Range(0, count).Select(i => ((string?)$"k{i}", (string?)$"v{i}")).ToArray(), producerId, epoch, sequence, transactional: true);

    public static byte[] Build((string? Key, string? Value)[] records, long producerId, short epoch, int sequence, bool transactional, long timestamp = 1_700_000_000_000)
    {
        var list = records.Select((r, i) => new Broker.Records.Record(
            i, 0,
            r.Key is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(r.Key),
            r.Value is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(r.Value),
            [])).ToList();
        return RecordBatchBuilder.Build(list, timestamp, timestamp, transactional ? RecordBatchHeader.TransactionalFlag : (short)0, producerId, epoch, sequence);
    }

    public static IEnumerable<(long Offset, string? Key, string? Value)> Decode(IEnumerable<Broker.Storage.LogBatch> batches) =>
        batches.Where(b => !b.IsControl).SelectMany(b => RecordCodec.ReadRecords(b.Bytes).Select(r => (
            b.BaseOffset + r.OffsetDelta,
            r.Key is { } k ? Encoding.UTF8.GetString(k.Span) : null,
            r.Value is { } v ? Encoding.UTF8.GetString(v.Span) : null)));
}

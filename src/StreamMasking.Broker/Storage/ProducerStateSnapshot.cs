using System.Buffers.Binary;
using System.Globalization;
using StreamMasking.Broker.Records;

namespace StreamMasking.Broker.Storage;

/// <summary>
/// Producer state of a partition at an offset, in <c>{offset:D20}.snapshot</c> (Kafka writes these at every segment
/// roll and on clean shutdown): per producer id its epoch, coordinator epoch, open transaction and last five
/// batches. Recovery loads the newest snapshot at or below the log end and replays only the batch headers after
/// it. Little-endian fields, a CRC-32C trailer; written to a temp file and renamed.
/// </summary>
internal static class ProducerStateSnapshot
{
    public const string Extension = ".snapshot";
    private const int Version = 1;
    private const int Keep = 2;

    public static string FileName(long offset) => $"{offset:D20}{Extension}";

    public static void Write(string directory, long offset, IReadOnlyDictionary<long, ProducerStateEntry> producers)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer);
        void Int(int v) => writer.Write(v);
        void Long(long v) => writer.Write(v);
        Int(Version);
        Long(offset);
        Int(producers.Count);
        foreach (var (producerId, entry) in producers)
        {
            Long(producerId);
            Int(entry.Epoch);
            Int(entry.CoordinatorEpoch);
            Long(entry.OpenTransactionFirstOffset ?? -1);
            Int(entry.Batches.Count);
            foreach (var batch in entry.Batches)
            {
                Int(batch.FirstSequence);
                Int(batch.LastSequence);
                Long(batch.FirstOffset);
                Long(batch.LastOffset);
                Long(batch.Timestamp);
            }
        }

        writer.Flush();
        Int((int)Crc32C.Compute(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        writer.Flush();
        var path = Path.Combine(directory, FileName(offset));
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            buffer.Position = 0;
            buffer.CopyTo(file);
            // Like the log itself, left to the OS: a snapshot torn by an OS crash fails its CRC and an older one is used.
            file.Flush(flushToDisk: false);
        }

        File.Move(temp, path, overwrite: true);
        foreach (var old in List(directory).SkipLast(Keep))
        {
            File.Delete(old.Path);
        }
    }

    /// <summary>Snapshot files of a directory, oldest first.</summary>
    public static IReadOnlyList<(long Offset, string Path)> List(string directory) =>
        Directory.GetFiles(directory, "*" + Extension)
            .Select(p => (Ok: long.TryParse(Path.GetFileNameWithoutExtension(p), NumberStyles.None, CultureInfo.InvariantCulture, out var o), Offset: o, Path: p))
            .Where(x => x.Ok)
            .OrderBy(x => x.Offset)
            .Select(x => (x.Offset, x.Path))
            .ToList();

    /// <summary>Reads a snapshot; null if it is torn or not ours.</summary>
    public static Dictionary<long, ProducerStateEntry>? TryRead(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 20 || (uint)BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)) != Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)))
        {
            return null;
        }

        var position = 0;
        int Int() { var v = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position)); position += 4; return v; }
        long Long() { var v = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position)); position += 8; return v; }
        if (Int() != Version)
        {
            return null;
        }

        _ = Long();
        var count = Int();
        var producers = new Dictionary<long, ProducerStateEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var producerId = Long();
            var entry = new ProducerStateEntry { Epoch = (short)Int(), CoordinatorEpoch = Int() };
            var open = Long();
            entry.OpenTransactionFirstOffset = open < 0 ? null : open;
            var batches = Int();
            for (var b = 0; b < batches; b++)
            {
                entry.Add(new ProducerStateEntry.CachedBatch(Int(), Int(), Long(), Long(), Long()));
            }

            producers[producerId] = entry;
        }

        return producers;
    }
}

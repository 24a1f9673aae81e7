using System.Text;

namespace StreamMasking.Core.Windowing;

/// <summary>
/// The immutable final state of one closed window of one segment: what the release is computed from. The runtime
/// persists it (<see cref="ToBytes"/>) before releasing, so a retry releases exactly this state with exactly the
/// same noise; a record arriving after the seal is late and never changes it.
/// </summary>
/// <param name="Segment">Segment name.</param>
/// <param name="WindowIndex">Tumbling-window index (start / size).</param>
/// <param name="StartMs">Inclusive window start, Unix ms.</param>
/// <param name="EndMs">Exclusive window end, Unix ms.</param>
/// <param name="Aggregates">Sealed aggregates in declared order.</param>
public sealed record SealedWindow(string Segment, long WindowIndex, long StartMs, long EndMs, IReadOnlyList<SealedAggregate> Aggregates)
{
    private const byte Version = 1;

    /// <summary>Versioned little-endian binary form; doubles bit-exact.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(Segment);
            writer.Write(WindowIndex);
            writer.Write(StartMs);
            writer.Write(EndMs);
            writer.Write(Aggregates.Count);
            foreach (var aggregate in Aggregates)
            {
                writer.Write(aggregate.Name);
                writer.Write((byte)aggregate.Kind);
                writer.Write(aggregate.Count);
                writer.Write(aggregate.Sum);
                writer.Write(aggregate.CappedContributions);
                AggregateAccumulator.WriteBins(writer, aggregate.Bins);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Reads <see cref="ToBytes"/>; throws <see cref="FormatException"/> on corrupt input.</summary>
    public static SealedWindow FromBytes(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadByte() != Version)
            {
                throw new FormatException("Unsupported sealed-window version.");
            }

            var segment = reader.ReadString();
            var index = reader.ReadInt64();
            var start = reader.ReadInt64();
            var end = reader.ReadInt64();
            var count = ReadLength(reader);
            var aggregates = new SealedAggregate[count];
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var kind = (AggregateKind)reader.ReadByte();
                var n = reader.ReadInt64();
                var sum = reader.ReadDouble();
                var capped = reader.ReadInt64();
                var bins = new long[ReadLength(reader)];
                for (var b = 0; b < bins.Length; b++)
                {
                    bins[b] = reader.ReadInt64();
                }

                aggregates[i] = new SealedAggregate(name, kind, n, sum, bins, capped);
            }

            if (stream.Position != stream.Length)
            {
                throw new FormatException("Trailing bytes after sealed window.");
            }

            return new SealedWindow(segment, index, start, end, aggregates);
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("Truncated sealed window.", e);
        }
    }

    private static int ReadLength(BinaryReader reader)
    {
        var length = reader.ReadInt32();
        return length is >= 0 and <= 1 << 20 ? length : throw new FormatException("Length out of range.");
    }
}

using System.Text;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.ContinualRelease;

namespace StreamMasking.Core.Release;

/// <summary>Reads <see cref="ContinualTotals.ToBytes"/> (layout v2) strictly: any mismatch is a <see cref="FormatException"/>.</summary>
internal static class ContinualTotalsReader
{
    /// <summary>The header of a continual state: its version, segment and content hash (v1 has the policy version instead).</summary>
    public static (byte Version, string Segment, string Binding) ReadHeader(ReadOnlySpan<byte> state)
    {
        try
        {
            using var stream = new MemoryStream(state.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            return (reader.ReadByte(), reader.ReadString(), reader.ReadString());
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException)
        {
            throw new FormatException("Truncated continual state.", e);
        }
    }

    /// <summary>
    /// Reads totals of <paramref name="owner"/>. A counter written by another owner, or calibrated for other
    /// parameters, has another identity and is refused (its options no longer match).
    /// </summary>
    public static ContinualTotals Read(SegmentAggregationSpec spec, ReadOnlySpan<byte> noiseKey, ReadOnlySpan<byte> state, string owner)
    {
        var totals = new ContinualTotals(spec, noiseKey, owner);
        try
        {
            using var stream = new MemoryStream(state.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadByte() != ContinualTotals.Version || reader.ReadString() != spec.Segment || reader.ReadString() != totals.ContentHash)
            {
                throw new FormatException("Continual state belongs to another version, segment or spec content.");
            }

            totals.IsLost = reader.ReadBoolean();
            var count = reader.ReadInt32();
            if (count != totals.States.Count)
            {
                throw new FormatException("Continual state does not match the spec's continual aggregates.");
            }

            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                if (!totals.States.TryGetValue(name, out var aggregateState))
                {
                    throw new FormatException("Continual state names an unknown aggregate.");
                }

                aggregateState.Incarnation = reader.ReadString();
                aggregateState.LastWindow = reader.ReadInt64();
                aggregateState.LastOutput = reader.ReadDouble();
                aggregateState.LastStep = reader.ReadInt64();
                var length = reader.ReadInt32();
                if (length < 0 || length > stream.Length - stream.Position)
                {
                    throw new FormatException("Counter state length out of range.");
                }

                if (length > 0)
                {
                    var counter = ContinualCounter.Restore(reader.ReadBytes(length), totals.Key);

                    // Why: a counter restored with other options (sensitivity, budget, horizon) than the spec now
                    // states would release under stale calibration while reporting the new ε; one written by another
                    // owner carries that owner's identity (its CounterId differs).
                    var aggregate = spec.Aggregates.First(a => a.Name == name);
                    if (counter.Options != totals.Options(aggregate, aggregateState.Incarnation))
                    {
                        throw new FormatException("Counter state was calibrated for other parameters.");
                    }

                    aggregateState.Counter = counter;
                }
            }

            if (stream.Position != stream.Length)
            {
                throw new FormatException("Trailing bytes after continual state.");
            }

            return totals;
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException)
        {
            throw new FormatException("Truncated continual state.", e);
        }
    }
}

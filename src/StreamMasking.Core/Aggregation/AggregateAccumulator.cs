using System.Runtime.InteropServices;

namespace StreamMasking.Core.Aggregation;

/// <summary>
/// Exact running state of one aggregate in one open window, with clamping and per-unit contribution bounding:
/// a unit's records beyond L∞ (per key for histograms) or beyond L0 distinct keys are ignored and counted, so the
/// sensitivity the release is calibrated to holds by construction.
/// </summary>
internal sealed class AggregateAccumulator
{
    private Dictionary<string, UnitTally>? _units;

    public long Count { get; private set; }

    public double Sum { get; private set; }

    public long[]? Bins { get; private set; }

    public long Capped { get; private set; }

    public bool ContainsUnit(string unit) => _units?.ContainsKey(unit) == true;

    /// <summary>Counts a record ignored by a cap enforced outside this window (windows per unit).</summary>
    public void MarkCapped() => Capped++;

    public AccumulateResult Add(AggregateSpec spec, string? unit, in AggregateInput input)
    {
        var keyed = spec.Kind is AggregateKind.Histogram or AggregateKind.TopK;
        if (spec.Kind != AggregateKind.Count && !input.IsPresent)
        {
            return AccumulateResult.Skipped;
        }

        if (keyed && input.Category >= spec.Domain.Count)
        {
            return AccumulateResult.Skipped;
        }

        if (unit is not null && !TryCharge(spec, unit, keyed ? input.Category : -1))
        {
            Capped++;
            return AccumulateResult.Capped;
        }

        Count++;
        if (spec.Kind is AggregateKind.Sum or AggregateKind.Mean)
        {
            Sum += spec.Clamp!.Value.Clamp(input.Number);
        }
        else if (keyed)
        {
            Bins ??= new long[spec.Domain.Count];
            Bins[input.Category]++;
        }

        return AccumulateResult.Added;
    }

    public SealedAggregate Seal(AggregateSpec spec)
    {
        IReadOnlyList<long> bins = spec.Kind is AggregateKind.Histogram or AggregateKind.TopK
            ? (Bins is null ? new long[spec.Domain.Count] : (long[])Bins.Clone())
            : [];
        return new SealedAggregate(spec.Name, spec.Kind, Count, Sum, bins, Capped);
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Count);
        writer.Write(Sum);
        writer.Write(Capped);
        WriteBins(writer, Bins);
        writer.Write(_units?.Count ?? 0);
        if (_units is null)
        {
            return;
        }

        foreach (var (unit, tally) in _units)
        {
            writer.Write(unit);
            writer.Write(tally.Count);
            writer.Write(tally.PerKey?.Length ?? 0);
            foreach (var n in tally.PerKey ?? [])
            {
                writer.Write(n);
            }
        }
    }

    public static AggregateAccumulator Read(BinaryReader reader, AggregateSpec spec)
    {
        var accumulator = new AggregateAccumulator
        {
            Count = reader.ReadInt64(),
            Sum = reader.ReadDouble(),
            Capped = reader.ReadInt64(),
            Bins = ReadBins(reader, spec),
        };
        var units = reader.ReadInt32();
        if (units < 0)
        {
            throw new FormatException("Negative unit count.");
        }

        if (units > 0)
        {
            accumulator._units = new Dictionary<string, UnitTally>(units, StringComparer.Ordinal);
        }

        for (var i = 0; i < units; i++)
        {
            var unit = reader.ReadString();
            var tally = new UnitTally { Count = reader.ReadInt32() };
            var keys = reader.ReadInt32();
            if (keys != 0 && keys != spec.Domain.Count)
            {
                throw new FormatException("Unit tally does not match the aggregate's domain.");
            }

            if (keys > 0)
            {
                tally.PerKey = new int[keys];
                for (var k = 0; k < keys; k++)
                {
                    tally.PerKey[k] = reader.ReadInt32();
                }
            }

            accumulator._units!.Add(unit, tally);
        }

        return accumulator;
    }

    internal static void WriteBins(BinaryWriter writer, IReadOnlyList<long>? bins)
    {
        writer.Write(bins?.Count ?? 0);
        for (var i = 0; i < (bins?.Count ?? 0); i++)
        {
            writer.Write(bins![i]);
        }
    }

    private static long[]? ReadBins(BinaryReader reader, AggregateSpec spec)
    {
        var length = reader.ReadInt32();
        if (length == 0)
        {
            return null;
        }

        if (length != spec.Domain.Count)
        {
            throw new FormatException("Accumulator bins do not match the aggregate's domain.");
        }

        var bins = new long[length];
        for (var i = 0; i < length; i++)
        {
            bins[i] = reader.ReadInt64();
        }

        return bins;
    }

    private bool TryCharge(AggregateSpec spec, string unit, int key)
    {
        _units ??= new Dictionary<string, UnitTally>(StringComparer.Ordinal);
        ref var tally = ref CollectionsMarshal.GetValueRefOrAddDefault(_units, unit, out _);
        if (key < 0)
        {
            if (tally.Count >= spec.MaxContributionsPerWindow)
            {
                return false;
            }

            tally.Count++;
            return true;
        }

        tally.PerKey ??= new int[spec.Domain.Count];
        if (tally.PerKey[key] == 0)
        {
            // A new key for this unit: L0 bounds how many distinct keys it may touch.
            if (tally.Count >= spec.MaxPartitionsPerUnit)
            {
                return false;
            }

            tally.Count++;
        }
        else if (tally.PerKey[key] >= spec.MaxContributionsPerWindow)
        {
            return false;
        }

        tally.PerKey[key]++;
        return true;
    }
}

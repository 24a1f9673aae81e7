namespace StreamMasking.Core.Windowing;

/// <summary>
/// Exact running state of one aggregate in one open window, with clamping and per-unit contribution bounding:
/// a unit's records beyond L∞ (per key for histograms) or beyond L0 distinct keys are ignored and counted, so the
/// sensitivity the release is calibrated to holds by construction.
/// </summary>
/// <remarks>
/// The records a unit contributes are its earliest in <see cref="ContributionOrder"/> (event time, source partition,
/// offset), not the first to arrive: records of several source partitions interleave differently after a restart or
/// under another instance's schedule, and a release must be a function of the window's records alone. So the per-unit
/// state keeps what the choice needs (<see cref="UnitContributions"/>), and the totals are computed when the window is
/// sealed, units in ordinal order, so that even a floating-point sum does not depend on arrival order.
/// </remarks>
internal sealed class AggregateAccumulator
{
    private Dictionary<string, UnitContributions>? _units;

    // Records without a privacy unit (event-level bounding): counted as they come.
    private long _eventCount;
    private double _eventSum;
    private long[]? _eventBins;

    /// <summary>
    /// Adds one record; <see cref="AccumulateOutcome.Capped"/> when the record's unit already had all the contributions
    /// the bounds allow (one of its records, this one or an earlier-arrived later one, is then not counted).
    /// </summary>
    public AccumulateOutcome Add(AggregateSpec spec, string? unit, in AggregateInput input, ContributionOrder order)
    {
        var keyed = spec.Kind is AggregateKind.Histogram or AggregateKind.TopK;
        if (spec.Kind != AggregateKind.Count && !input.IsPresent)
        {
            return AccumulateOutcome.Skipped;
        }

        if (keyed && input.Category >= spec.Domain.Count)
        {
            return AccumulateOutcome.Skipped;
        }

        if (unit is null)
        {
            _eventCount++;
            if (spec.Kind is AggregateKind.Sum or AggregateKind.Mean)
            {
                _eventSum += spec.Clamp!.Value.Clamp(input.Number);
            }
            else if (keyed)
            {
                _eventBins ??= new long[spec.Domain.Count];
                _eventBins[input.Category]++;
            }

            return AccumulateOutcome.Added;
        }

        _units ??= new Dictionary<string, UnitContributions>(StringComparer.Ordinal);
        if (!_units.TryGetValue(unit, out var contributions))
        {
            contributions = new UnitContributions();
            _units.Add(unit, contributions);
        }

        var before = contributions.Contributions(spec);
        contributions.Records++;
        if (spec.Kind is AggregateKind.Sum or AggregateKind.Mean)
        {
            contributions.Keep(spec, order, spec.Clamp!.Value.Clamp(input.Number));
        }
        else if (keyed)
        {
            contributions.Touch(spec.Domain.Count, input.Category, order);
        }

        return contributions.Contributions(spec) > before ? AccumulateOutcome.Added : AccumulateOutcome.Capped;
    }

    /// <summary>
    /// The window's exact totals. <paramref name="admitUnit"/>, when given, is asked once per unit in ordinal order
    /// whether the unit may count in this window at all (windows per unit, decided as windows seal, in window order);
    /// a unit it refuses counts nothing, and its records are reported as capped.
    /// </summary>
    public SealedAggregate Seal(AggregateSpec spec, Func<string, bool>? admitUnit = null)
    {
        var keyed = spec.Kind is AggregateKind.Histogram or AggregateKind.TopK;
        var count = _eventCount;
        var sum = _eventSum;
        long capped = 0;
        var bins = keyed ? (_eventBins is null ? new long[spec.Domain.Count] : (long[])_eventBins.Clone()) : null;
        foreach (var (name, unit) in (_units ?? []).OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            if (admitUnit is not null && !admitUnit(name))
            {
                capped += unit.Records;
                continue;
            }

            var counted = unit.Contributions(spec);
            count += counted;
            capped += unit.Records - counted;
            foreach (var (_, value) in unit.Kept ?? [])
            {
                sum += value;
            }

            if (bins is not null && unit.PerKey is { } perKey)
            {
                foreach (var key in unit.CountedKeys(spec))
                {
                    bins[key] += Math.Min(perKey[key], spec.MaxContributionsPerWindow);
                }
            }
        }

        return new SealedAggregate(spec.Name, spec.Kind, count, sum, bins ?? [], capped);
    }

    /// <summary>Whether records without a privacy unit reached this window (event-level bounding).</summary>
    internal bool HasEventLevel => _eventCount > 0;

    /// <summary>The units with contributions to this window (unordered).</summary>
    internal IEnumerable<string> Units => _units?.Keys ?? Enumerable.Empty<string>();

    /// <summary>
    /// Layout (window-engine state v5): event-level count, sum, bins; units, each with its name, then
    /// <see cref="WriteUnit"/>. Units in ordinal order.
    /// </summary>
    public void Write(BinaryWriter writer, AggregateSpec spec)
    {
        WriteEventLevel(writer);
        writer.Write(_units?.Count ?? 0);
        foreach (var (name, _) in (_units ?? []).OrderBy(u => u.Key, StringComparer.Ordinal))
        {
            writer.Write(name);
            WriteUnit(writer, spec, name);
        }
    }

    public static AggregateAccumulator Read(BinaryReader reader, AggregateSpec spec)
    {
        var accumulator = new AggregateAccumulator();
        accumulator.ReadEventLevel(reader, spec);
        var units = NonNegative(reader.ReadInt32());
        if (units > 0)
        {
            accumulator._units = new Dictionary<string, UnitContributions>(units, StringComparer.Ordinal);
        }

        for (var i = 0; i < units; i++)
        {
            accumulator.ReadUnit(reader, spec, reader.ReadString());
        }

        return accumulator;
    }

    /// <summary>The records without a privacy unit: count, sum, bins.</summary>
    internal void WriteEventLevel(BinaryWriter writer)
    {
        writer.Write(_eventCount);
        writer.Write(_eventSum);
        WriteBins(writer, _eventBins);
    }

    /// <summary>Reads what <see cref="WriteEventLevel"/> wrote (replacing the event-level totals).</summary>
    internal void ReadEventLevel(BinaryReader reader, AggregateSpec spec)
    {
        var count = reader.ReadInt64();
        if (count < 0)
        {
            throw new FormatException("Negative count in accumulator state.");
        }

        _eventCount = count;
        _eventSum = reader.ReadDouble();
        _eventBins = ReadBins(reader, spec);
    }

    /// <summary>Whether <paramref name="unit"/> contributed to this window.</summary>
    internal bool HasUnit(string unit) => _units?.ContainsKey(unit) == true;

    /// <summary>
    /// One unit's contributions: records, then for a sum or mean its kept values (order and value), for a histogram
    /// or top-k its records and first record per key.
    /// </summary>
    internal void WriteUnit(BinaryWriter writer, AggregateSpec spec, string name)
    {
        var unit = _units![name];
        writer.Write(unit.Records);
        if (spec.Kind is AggregateKind.Sum or AggregateKind.Mean)
        {
            writer.Write(unit.Kept?.Count ?? 0);
            foreach (var (order, value) in unit.Kept ?? [])
            {
                order.Write(writer);
                writer.Write(value);
            }
        }
        else if (spec.Kind is AggregateKind.Histogram or AggregateKind.TopK)
        {
            writer.Write(unit.PerKey?.Length ?? 0);
            for (var k = 0; k < (unit.PerKey?.Length ?? 0); k++)
            {
                writer.Write(unit.PerKey![k]);
                if (unit.PerKey[k] > 0)
                {
                    unit.FirstOfKey![k].Write(writer);
                }
            }
        }
    }

    /// <summary>Reads what <see cref="WriteUnit"/> wrote for the unit <paramref name="name"/>, which must not be present yet.</summary>
    internal void ReadUnit(BinaryReader reader, AggregateSpec spec, string name)
    {
        var unit = new UnitContributions { Records = NonNegative(reader.ReadInt32()) };
        if (spec.Kind is AggregateKind.Sum or AggregateKind.Mean)
        {
            var kept = NonNegative(reader.ReadInt32());
            if (kept > spec.MaxContributionsPerWindow || kept > unit.Records)
            {
                throw new FormatException("A unit keeps more values than its bound allows.");
            }

            unit.Kept = new List<(ContributionOrder, double)>(kept);
            for (var v = 0; v < kept; v++)
            {
                unit.Kept.Add((ContributionOrder.Read(reader), reader.ReadDouble()));
            }
        }
        else if (spec.Kind is AggregateKind.Histogram or AggregateKind.TopK)
        {
            var keys = NonNegative(reader.ReadInt32());
            if (keys != 0 && keys != spec.Domain.Count)
            {
                throw new FormatException("Unit contributions do not match the aggregate's domain.");
            }

            if (keys > 0)
            {
                unit.PerKey = new int[keys];
                unit.FirstOfKey = new ContributionOrder[keys];
                for (var k = 0; k < keys; k++)
                {
                    unit.PerKey[k] = NonNegative(reader.ReadInt32());
                    if (unit.PerKey[k] > 0)
                    {
                        unit.FirstOfKey[k] = ContributionOrder.Read(reader);
                    }
                }
            }
        }

        _units ??= new Dictionary<string, UnitContributions>(StringComparer.Ordinal);
        if (!_units.TryAdd(name, unit))
        {
            throw new FormatException("Duplicate unit in accumulator state.");
        }
    }

    internal static void WriteBins(BinaryWriter writer, IReadOnlyList<long>? bins)
    {
        writer.Write(bins?.Count ?? 0);
        for (var i = 0; i < (bins?.Count ?? 0); i++)
        {
            writer.Write(bins![i]);
        }
    }

    private static int NonNegative(int value) => value >= 0 ? value : throw new FormatException("Negative count in accumulator state.");

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
}

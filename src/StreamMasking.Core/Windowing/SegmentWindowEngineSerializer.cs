using System.Text;

namespace StreamMasking.Core.Windowing;

/// <summary>
/// Versioned little-endian binary state of a <see cref="SegmentWindowEngine"/>.
/// </summary>
/// <remarks>
/// Layout v6: version byte; spec binding: segment and the spec's canonical content hash (checked on restore, so state
/// is never read under different DP content: contribution bounds, clamp, ε, windowsPerUnit, domain, window size …);
/// started, sealed-any flags; next window to close, stream time, wall-clock and stream time of the last activity
/// (int64); per aggregate: windows-per-unit map (count, then unit + windows, units in ordinal order); the
/// source-progress block: source count, then per source partition (ordinal order) its name and largest timestamp
/// (int64); then the open windows' entries: count, then per entry its window (int64), a unit flag and unit, and its
/// length-prefixed payload (<see cref="WriteEntry"/>). A header (<see cref="SegmentWindowEngine.HeaderToBytes"/>) has
/// no entries: a store keeps each entry under a key of its own. The wall-clock time of the last activity is kept in
/// the layout but no longer read: idle time is never carried across a restore (see <see cref="SourceWatermark"/>).
/// <para>
/// v5 had the same header with the open windows inline (index + one accumulator per aggregate, in index order)
/// before the windows-per-unit block; it is still read, so a store written by v5 is taken over, its windows then
/// written as entries.
/// </para>
/// <para>
/// v1 and v2 bound the state to the policy version and the aggregates' names, kinds and domain sizes only (v2 added
/// the source-progress block). <see cref="Read"/> refuses them, because their calibration cannot be checked (the
/// owner treats that as a policy transition); <see cref="ReadClock"/> still reads their header. v3 had the v4 layout
/// but accumulators that kept per-unit counts only (a unit's first records to arrive were the ones counted); v4 counted
/// a unit's windows per unit as its records arrived (its open windows already counted), and kept a per-window count
/// of records capped that way. Both are refused the same way.
/// </para>
/// </remarks>
internal static class SegmentWindowEngineSerializer
{
    private const byte Version = 6;

    // v5: the v6 header with the open windows inline (before the windows-per-unit block). Read, never written.
    private const byte InlineWindowsVersion = 5;

    // The layout of one window entry's payload.
    private const byte EntryVersion = 1;

    // Earlier layouts, still recognised by ReadClock (v1, v2: the policy version and names instead of the content
    // hash; v2 added the source-progress block). Read refuses them: their calibration cannot be checked.
    private const byte LegacyVersion = 1;
    private const byte LegacySourcesVersion = 2;

    // v3 and v4: the v5 header. v3 accumulators kept per-unit counts only (the first records to arrive counted); v4
    // engines counted windows per unit at arrival. Read refuses both: what their windows counted depended on arrival
    // order, and cannot be carried into v5.
    private const byte LegacyArrivalOrderVersion = 3;
    private const byte LegacyArrivalWindowsVersion = 4;

    public static byte[] Write(SegmentWindowEngine engine, bool withEntries)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            WriteSpecFingerprint(writer, engine.Spec);
            var clock = engine.Clock;
            writer.Write(clock.Started);
            writer.Write(clock.SealedAny);
            writer.Write(clock.NextToClose);
            writer.Write(clock.StreamTime);
            writer.Write(clock.ActivityWallMs);
            writer.Write(clock.ActivityStreamTime);
            WriteUnitWindows(writer, engine);
            WriteSourceProgress(writer, engine.Watermark);
            if (!withEntries)
            {
                writer.Write(0);
            }
            else
            {
                var entries = new List<(long Window, string? Unit)>();
                foreach (var (index, accumulators) in engine.OpenWindows.OrderBy(w => w.Key))
                {
                    if (accumulators.Any(a => a.HasEventLevel))
                    {
                        entries.Add((index, null));
                    }

                    entries.AddRange(accumulators.SelectMany(a => a.Units).Distinct(StringComparer.Ordinal)
                        .Order(StringComparer.Ordinal).Select(u => (index, (string?)u)));
                }

                writer.Write(entries.Count);
                foreach (var (index, unit) in entries)
                {
                    writer.Write(index);
                    writer.Write(unit is not null);
                    if (unit is not null)
                    {
                        writer.Write(unit);
                    }

                    var payload = WriteEntry(engine, index, unit)!;
                    writer.Write(payload.Length);
                    writer.Write(payload);
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>
    /// The payload of one <see cref="WindowEntry"/>: entry version byte, then per aggregate in spec order either the
    /// event-level totals (unit null) or a presence byte and, when present, the unit's contributions.
    /// </summary>
    /// <returns>The payload, or null when the window holds nothing of <paramref name="unit"/> (every aggregate skipped its records).</returns>
    public static byte[]? WriteEntry(SegmentWindowEngine engine, long window, string? unit)
    {
        var accumulators = engine.OpenWindows[window];
        if (unit is null ? !accumulators.Any(a => a.HasEventLevel) : !accumulators.Any(a => a.HasUnit(unit)))
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(EntryVersion);
            for (var i = 0; i < accumulators.Length; i++)
            {
                if (unit is null)
                {
                    accumulators[i].WriteEventLevel(writer);
                }
                else if (accumulators[i].HasUnit(unit))
                {
                    writer.Write(true);
                    accumulators[i].WriteUnit(writer, engine.Spec.Aggregates[i], unit);
                }
                else
                {
                    writer.Write(false);
                }
            }
        }

        return stream.ToArray();
    }

    public static SegmentWindowEngine Read(SegmentAggregationSpec spec, TimeProvider time, ReadOnlySpan<byte> state,
        IUnitWindowStore? unitWindowStore, IEnumerable<WindowEntry>? entries, bool trackChanges)
    {
        var engine = new SegmentWindowEngine(spec, time, unitWindowStore, trackChanges);
        try
        {
            using var stream = new MemoryStream(state.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            var version = reader.ReadByte();
            if (version is not (Version or InlineWindowsVersion))
            {
                throw new FormatException("Unsupported window-engine state version.");
            }

            using (var expected = new MemoryStream())
            {
                using (var writer = new BinaryWriter(expected, Encoding.UTF8, leaveOpen: true))
                {
                    WriteSpecFingerprint(writer, spec);
                }

                var actual = reader.ReadBytes((int)expected.Length);
                if (!actual.AsSpan().SequenceEqual(expected.ToArray()))
                {
                    throw new FormatException("Window-engine state was written for a different segment spec.");
                }
            }

            engine.Clock = (reader.ReadBoolean(), reader.ReadBoolean(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
            if (version == InlineWindowsVersion)
            {
                ReadInlineWindows(reader, spec, engine);
                ReadUnitWindows(reader, spec, engine, unitWindowStore);
                ReadSourceProgress(reader, engine.Watermark);
                // Read as change-tracking: every window the old layout held inline is written as entries next time.
                if (trackChanges)
                {
                    engine.MarkAllChanged();
                }
            }
            else
            {
                ReadUnitWindows(reader, spec, engine, unitWindowStore);
                ReadSourceProgress(reader, engine.Watermark);
                var inline = ReadCount(reader);
                for (var e = 0; e < inline; e++)
                {
                    var index = reader.ReadInt64();
                    var unit = reader.ReadBoolean() ? reader.ReadString() : null;
                    var length = ReadCount(reader);
                    ApplyEntry(engine, new WindowEntry(index, unit, reader.ReadBytes(length)));
                }
            }

            if (stream.Position != stream.Length)
            {
                throw new FormatException("Trailing bytes after window-engine state.");
            }

            foreach (var entry in entries ?? [])
            {
                ApplyEntry(engine, entry);
            }

            return engine;
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException)
        {
            throw new FormatException("Corrupt window-engine state.", e);
        }
    }

    // One entry into the engine's open windows: only windows not yet sealed, each (window, unit) once.
    private static void ApplyEntry(SegmentWindowEngine engine, WindowEntry entry)
    {
        var spec = engine.Spec;
        var clock = engine.Clock;
        if (!clock.Started || entry.Window < clock.NextToClose)
        {
            throw new FormatException("A window entry for a window that is not open.");
        }

        if (!engine.OpenWindows.TryGetValue(entry.Window, out var accumulators))
        {
            accumulators = SegmentWindowEngine.NewAccumulators(spec.Aggregates.Count);
            engine.OpenWindows.Add(entry.Window, accumulators);
        }

        using var stream = new MemoryStream(entry.Payload, writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadByte() != EntryVersion)
        {
            throw new FormatException("Unsupported window-entry version.");
        }

        var any = false;
        for (var i = 0; i < accumulators.Length; i++)
        {
            if (entry.Unit is null)
            {
                if (accumulators[i].HasEventLevel)
                {
                    throw new FormatException("Duplicate event-level window entry.");
                }

                accumulators[i].ReadEventLevel(reader, spec.Aggregates[i]);
                any |= accumulators[i].HasEventLevel;
            }
            else if (reader.ReadBoolean())
            {
                accumulators[i].ReadUnit(reader, spec.Aggregates[i], entry.Unit);
                any = true;
            }
        }

        if (!any || stream.Position != stream.Length)
        {
            throw new FormatException(any ? "Trailing bytes after a window entry." : "An empty window entry.");
        }
    }

    // v5: the open windows inline, each its index and one accumulator per aggregate.
    private static void ReadInlineWindows(BinaryReader reader, SegmentAggregationSpec spec, SegmentWindowEngine engine)
    {
        var open = ReadCount(reader);
        for (var w = 0; w < open; w++)
        {
            var index = reader.ReadInt64();
            var accumulators = new AggregateAccumulator[spec.Aggregates.Count];
            for (var i = 0; i < accumulators.Length; i++)
            {
                accumulators[i] = AggregateAccumulator.Read(reader, spec.Aggregates[i]);
            }

            engine.OpenWindows.Add(index, accumulators);
        }
    }

    private static void WriteUnitWindows(BinaryWriter writer, SegmentWindowEngine engine)
    {
        foreach (var map in engine.UnitWindows)
        {
            writer.Write(map?.Count ?? 0);
            foreach (var (unit, windows) in (map ?? []).OrderBy(u => u.Key, StringComparer.Ordinal))
            {
                writer.Write(unit);
                writer.Write(windows);
            }
        }
    }

    private static void ReadUnitWindows(BinaryReader reader, SegmentAggregationSpec spec, SegmentWindowEngine engine,
        IUnitWindowStore? unitWindowStore)
    {
        for (var i = 0; i < spec.Aggregates.Count; i++)
        {
            var units = ReadCount(reader);
            var map = engine.UnitWindows[i];
            if (units > 0 && !spec.Aggregates[i].IsContinual)
            {
                throw new FormatException("Windows-per-unit state for a non-continual aggregate.");
            }

            for (var u = 0; u < units; u++)
            {
                var (unit, windows) = (reader.ReadString(), reader.ReadInt32());
                if (map is not null)
                {
                    map.Add(unit, windows);
                }
                else
                {
                    // Counts kept in memory before; the store takes them over.
                    unitWindowStore!.Record(spec.Aggregates[i].Name, unit, windows);
                }
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="state"/> (written under any spec) had started, and its stream time; reads only the
    /// header, so it works across policy versions. Throws <see cref="FormatException"/> on corrupt input.
    /// </summary>
    public static (bool Started, long StreamTime) ReadClock(ReadOnlySpan<byte> state)
    {
        try
        {
            using var stream = new MemoryStream(state.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            var version = reader.ReadByte();
            if (version is Version or InlineWindowsVersion or LegacyArrivalOrderVersion or LegacyArrivalWindowsVersion)
            {
                reader.ReadString();
                reader.ReadString();
            }
            else if (version is LegacyVersion or LegacySourcesVersion)
            {
                reader.ReadString();
                reader.ReadString();
                reader.ReadInt64();
                var aggregates = ReadCount(reader);
                for (var i = 0; i < aggregates; i++)
                {
                    reader.ReadString();
                    reader.ReadByte();
                    reader.ReadInt32();
                }
            }
            else
            {
                throw new FormatException("Unsupported window-engine state version.");
            }

            var started = reader.ReadBoolean();
            reader.ReadBoolean();
            reader.ReadInt64();
            return (started, reader.ReadInt64());
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException)
        {
            throw new FormatException("Corrupt window-engine state.", e);
        }
    }

    // The spec binding: segment and canonical content hash (never the free-text policy version).
    private static void WriteSpecFingerprint(BinaryWriter writer, SegmentAggregationSpec spec)
    {
        writer.Write(spec.Segment);
        writer.Write(spec.ContentHash);
    }

    // --- Source progress: the watermark's per-source largest timestamps. Idle time is deliberately absent. ---
    private static void WriteSourceProgress(BinaryWriter writer, SourceWatermark watermark)
    {
        var progress = watermark.Progress.ToList();
        writer.Write(progress.Count);
        foreach (var (source, maxTimestamp) in progress)
        {
            writer.Write(source);
            writer.Write(maxTimestamp);
        }
    }

    private static void ReadSourceProgress(BinaryReader reader, SourceWatermark watermark)
    {
        var sources = ReadCount(reader);
        for (var i = 0; i < sources; i++)
        {
            watermark.Restore(reader.ReadString(), reader.ReadInt64());
        }
    }

    private static int ReadCount(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        return count >= 0 ? count : throw new FormatException("Negative count.");
    }
}

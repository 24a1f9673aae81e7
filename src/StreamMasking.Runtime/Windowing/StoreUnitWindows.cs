using System.Buffers.Binary;
using StreamMasking.Core.Windowing;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// Windows-per-unit counts of a segment's continual aggregates in the partition's state store, one entry per
/// (spec content hash, aggregate, unit), so a commit writes only the units that changed instead of every unit ever seen.
/// A write-back cache: <see cref="Flush"/> writes before the commit; after an abort the owning
/// <see cref="SegmentState"/> is thrown away with it. Keys carry the spec's content hash because new content starts new
/// counters (and new windows-per-unit budgets).
/// </summary>
internal sealed class StoreUnitWindows(IKeyValueStore store, string segment, string contentHash) : IUnitWindowStore
{
    private readonly Dictionary<(string Aggregate, string Unit), int> _cache = [];
    private readonly HashSet<(string Aggregate, string Unit)> _dirty = [];

    public int WindowsOf(string aggregate, string unit)
    {
        if (_cache.TryGetValue((aggregate, unit), out var windows))
        {
            return windows;
        }

        windows = store.Get(StateKeys.UnitWindows(segment, contentHash, aggregate, unit)) is { Length: 4 } bytes
            ? BinaryPrimitives.ReadInt32BigEndian(bytes)
            : 0;
        _cache[(aggregate, unit)] = windows;
        return windows;
    }

    public void Record(string aggregate, string unit, int windows)
    {
        _cache[(aggregate, unit)] = windows;
        _dirty.Add((aggregate, unit));
    }

    /// <summary>Writes the changed counts to the store (and so to the changelog, in the open transaction).</summary>
    internal void Flush()
    {
        foreach (var key in _dirty)
        {
            var value = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(value, _cache[key]);
            store.Put(StateKeys.UnitWindows(segment, contentHash, key.Aggregate, key.Unit), value);
        }

        _dirty.Clear();
        // Units seen in earlier windows rarely return soon; keep the cache from growing without bound.
        if (_cache.Count > 100_000)
        {
            _cache.Clear();
        }
    }
}

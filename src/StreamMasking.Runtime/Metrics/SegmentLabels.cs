using System.Collections.Concurrent;

namespace StreamMasking.Runtime.Metrics;

/// <summary>
/// Bounds the <c>segment</c> label: the first <c>max</c> distinct segments keep their name (the policy's segments are
/// registered first, in policy order), every later one is reported as <see cref="Other"/>.
/// </summary>
internal sealed class SegmentLabels
{
    /// <summary>The label value of every segment beyond the cap.</summary>
    internal const string Other = "other";

    /// <summary>The label value of records whose segment is unknown (dead letters before routing).</summary>
    internal const string None = "none";

    private readonly ConcurrentDictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly int _max;
    private int _named;

    internal SegmentLabels(int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        _max = max;
    }

    /// <summary>The label value for <paramref name="segment"/>.</summary>
    internal string For(string? segment)
    {
        if (string.IsNullOrEmpty(segment))
        {
            return None;
        }

        if (_labels.TryGetValue(segment, out var label))
        {
            return label;
        }

        lock (_gate)
        {
            if (_labels.TryGetValue(segment, out label))
            {
                return label;
            }

            // "other" and "none" are reserved so that no segment's series can merge with theirs. Overflow names are
            // not remembered: that map would itself grow without bound.
            if (_named >= _max || segment is Other or None)
            {
                return Other;
            }

            _named++;
            _labels[segment] = segment;
            return segment;
        }
    }
}

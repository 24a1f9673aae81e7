using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Matching;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Segmentation;

/// <summary>
/// Assigns records to segments: segments are tried in declared order and the first whose match rule accepts the
/// record wins. Match rules are compiled once at construction. Immutable after construction, so one instance is safe
/// to share between threads.
/// </summary>
/// <remarks>
/// Many segments told apart by one field (<c>tenant equals t00042</c>, thousands of them) are found by one hash
/// lookup (<see cref="EqualsIndex"/>) rather than one comparison per segment; the other segments are scanned in
/// declared order up to the indexed one, so the result is the linear scan's.
/// </remarks>
public sealed class SegmentRouter
{
    private readonly SegmentPolicy[] _segments;
    private readonly EqualsIndex? _index;

    // The segments the index does not cover, in declared order: their position and compiled rule.
    private readonly int[] _scanned;
    private readonly RecordMatcher[] _matchers;

    /// <summary>Compiles the policy's match rules.</summary>
    public SegmentRouter(PrivacyPolicy policy)
        : this(policy, useIndex: true)
    {
    }

    /// <summary>Compiles the policy's match rules; without <paramref name="useIndex"/>, every record scans every rule.</summary>
    internal SegmentRouter(PrivacyPolicy policy, bool useIndex)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _segments = [.. policy.Segments];
        var indexed = new bool[_segments.Length];
        _index = useIndex ? EqualsIndex.Build([.. _segments.Select(s => s.Match)], out indexed) : null;
        _scanned = [.. Enumerable.Range(0, _segments.Length).Where(i => !indexed[i])];
        _matchers = [.. _scanned.Select(i => Compile(_segments[i].Match))];
    }

    /// <summary>True when some segments are found by the equals index.</summary>
    internal bool UsesIndex => _index is not null;

    /// <summary>The first matching segment in declared order, or <see cref="SegmentRoute.Unmatched"/>.</summary>
    public SegmentRoute Route(RecordEnvelope record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var indexed = _index?.FirstMatch(record) ?? -1;
        var before = indexed < 0 ? int.MaxValue : indexed;
        for (var i = 0; i < _matchers.Length && _scanned[i] < before; i++)
        {
            if (_matchers[i].Matches(record))
            {
                return SegmentRoute.Matched(_segments[_scanned[i]]);
            }
        }

        return indexed < 0 ? SegmentRoute.Unmatched : SegmentRoute.Matched(_segments[indexed]);
    }

    private static RecordMatcher Compile(MatchCondition condition) => condition switch
    {
        AllCondition all => new CompositeMatcher([.. all.Conditions.Select(Compile)], requireAll: true),
        AnyCondition any => new CompositeMatcher([.. any.Conditions.Select(Compile)], requireAll: false),
        PredicateCondition predicate => new PredicateMatcher(predicate),
        _ => throw new ArgumentException($"Unsupported match condition {condition.GetType().Name}.", nameof(condition)),
    };
}

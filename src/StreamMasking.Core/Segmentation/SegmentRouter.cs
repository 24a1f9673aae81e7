using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Matching;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Segmentation;

/// <summary>
/// Assigns records to segments: segments are tried in declared order and the first whose match rule accepts the
/// record wins. Match rules are compiled once at construction. Immutable after construction, so one instance is safe
/// to share between threads.
/// </summary>
public sealed class SegmentRouter
{
    private readonly SegmentPolicy[] _segments;
    private readonly RecordMatcher[] _matchers;

    /// <summary>Compiles the policy's match rules.</summary>
    public SegmentRouter(PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _segments = [.. policy.Segments];
        _matchers = [.. _segments.Select(s => Compile(s.Match))];
    }

    /// <summary>The first matching segment in declared order, or <see cref="SegmentRoute.Unmatched"/>.</summary>
    public SegmentRoute Route(RecordEnvelope record)
    {
        ArgumentNullException.ThrowIfNull(record);
        for (var i = 0; i < _matchers.Length; i++)
        {
            if (_matchers[i].Matches(record))
            {
                return SegmentRoute.Matched(_segments[i]);
            }
        }

        return SegmentRoute.Unmatched;
    }

    private static RecordMatcher Compile(MatchCondition condition) => condition switch
    {
        AllCondition all => new CompositeMatcher([.. all.Conditions.Select(Compile)], requireAll: true),
        AnyCondition any => new CompositeMatcher([.. any.Conditions.Select(Compile)], requireAll: false),
        PredicateCondition predicate => new PredicateMatcher(predicate),
        _ => throw new ArgumentException($"Unsupported match condition {condition.GetType().Name}.", nameof(condition)),
    };
}

using StreamMasking.Core.Policy.Matching;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Segmentation;

/// <summary>
/// The segments whose whole match rule is <c>equals</c> (or <c>in</c>) on one subject (field, header or topic),
/// by operand: one hash lookup finds the first of them that a record matches, instead of one comparison per
/// segment. The router still tries the other segments declared before that one, so first match in declared order
/// wins exactly as in a linear scan.
/// </summary>
internal sealed class EqualsIndex
{
    /// <summary>Fewer segments on one subject are scanned as they are: the index would not pay for its lookup.</summary>
    internal const int MinSegments = 8;

    private readonly PredicateMatcher _subject;
    private readonly Dictionary<string, int> _first;

    private EqualsIndex(PredicateMatcher subject, Dictionary<string, int> first)
    {
        _subject = subject;
        _first = first;
    }

    /// <summary>
    /// The index over the subject most segments compare by equality, or null when no subject has
    /// <see cref="MinSegments"/>; <paramref name="indexed"/> marks the segments it covers.
    /// </summary>
    internal static EqualsIndex? Build(IReadOnlyList<MatchCondition> rules, out bool[] indexed)
    {
        indexed = new bool[rules.Count];
        var best = rules
            .Select((rule, i) => (Rule: rule as PredicateCondition, Index: i))
            .Where(r => r.Rule is { Operator: MatchOperator.Equals or MatchOperator.In })
            .GroupBy(r => (r.Rule!.Subject, r.Rule.Name))
            .MaxBy(g => g.Count());
        if (best is null || best.Count() < MinSegments)
        {
            return null;
        }

        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (rule, index) in best)
        {
            indexed[index] = true;
            foreach (var value in rule!.Values)
            {
                // Declared order: a later segment with the same operand can never win over this one.
                first.TryAdd(value, index);
            }
        }

        return new EqualsIndex(new PredicateMatcher(best.First().Rule!), first);
    }

    /// <summary>The declared position of the first indexed segment matching the record, or -1.</summary>
    internal int FirstMatch(RecordEnvelope record) =>
        _subject.TryGetSubject(record, out var text) && text is not null && _first.TryGetValue(text, out var index) ? index : -1;
}

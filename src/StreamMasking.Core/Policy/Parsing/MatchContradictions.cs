using StreamMasking.Core.Policy.Matching;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>
/// Finds predicates inside one <c>all</c> list that can never hold together: two equals/in on the same subject with
/// no common value, or "exists: false" beside another test of the same subject.
/// </summary>
internal static class MatchContradictions
{
    public static string? Find(AllCondition all)
    {
        var predicates = all.Conditions.OfType<PredicateCondition>().ToList();
        foreach (var group in predicates.GroupBy(p => (p.Subject, p.Name)))
        {
            var items = group.ToList();
            var subject = items[0].Describe().Split(' ')[0] + (items[0].Subject == MatchSubject.Topic ? "" : " " + items[0].Name);
            var absent = items.FirstOrDefault(p => p.Operator == MatchOperator.Exists && p.Values[0] == "false");
            if (absent is not null && items.Any(p => !(p.Operator == MatchOperator.Exists && p.Values[0] == "false")))
            {
                return $"{subject} is required to be absent and also tested";
            }

            HashSet<string>? allowed = null;
            foreach (var p in items.Where(p => p.Operator is MatchOperator.Equals or MatchOperator.In))
            {
                if (allowed is null)
                {
                    allowed = new HashSet<string>(p.Values, StringComparer.Ordinal);
                }
                else
                {
                    allowed.IntersectWith(p.Values);
                }
            }

            if (allowed is not null)
            {
                foreach (var p in items.Where(p => p.Operator == MatchOperator.Prefix))
                {
                    allowed.RemoveWhere(v => !v.StartsWith(p.Values[0], StringComparison.Ordinal));
                }
            }

            if (allowed is { Count: 0 })
            {
                return $"{subject} cannot equal all of the listed values at once";
            }
        }

        return null;
    }
}

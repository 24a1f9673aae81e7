using StreamMasking.Core.Records;

namespace StreamMasking.Core.Segmentation;

/// <summary>all (every child) or any (some child), short-circuiting in declared order.</summary>
internal sealed class CompositeMatcher(RecordMatcher[] children, bool requireAll) : RecordMatcher
{
    public override bool Matches(RecordEnvelope record)
    {
        foreach (var child in children)
        {
            if (child.Matches(record) != requireAll)
            {
                return !requireAll;
            }
        }

        return requireAll;
    }
}

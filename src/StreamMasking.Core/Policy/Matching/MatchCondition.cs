namespace StreamMasking.Core.Policy.Matching;

/// <summary>A segment's match rule: a predicate, or an all/any composition of rules.</summary>
public abstract record MatchCondition
{
    /// <summary>A canonical one-line description, also used to detect identical (shadowed) segment rules.</summary>
    public abstract string Describe();
}

namespace StreamMasking.Core.Policy.Matching;

/// <summary>Matches when every child matches; an empty <c>all</c> matches every record (a catch-all).</summary>
/// <param name="Conditions">The children, in declared order.</param>
public sealed record AllCondition(IReadOnlyList<MatchCondition> Conditions) : MatchCondition
{
    /// <inheritdoc />
    public override string Describe() =>
        Conditions.Count == 0 ? "always" : "all(" + string.Join(", ", Conditions.Select(c => c.Describe())) + ")";
}

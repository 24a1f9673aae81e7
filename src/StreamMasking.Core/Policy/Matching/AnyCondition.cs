namespace StreamMasking.Core.Policy.Matching;

/// <summary>Matches when at least one child matches.</summary>
/// <param name="Conditions">The children (at least one), in declared order.</param>
public sealed record AnyCondition(IReadOnlyList<MatchCondition> Conditions) : MatchCondition
{
    /// <inheritdoc />
    public override string Describe() => "any(" + string.Join(", ", Conditions.Select(c => c.Describe())) + ")";
}

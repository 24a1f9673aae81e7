using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Core.Policy.Dp;

/// <summary>
/// The risk map composes every mechanism under one relation, replace: it is what event-level noise protects (the
/// presence of an event is public in the masked stream), and the weaker of the two. Aggregates are calibrated and
/// charged for add/remove; a replace neighbour is then one removal plus one addition, so a mechanism whose sensitivity
/// grows under replace costs what a group of two costs: 2ε, 4ρ, or (2ε, (1 + e^ε)·δ) (group privacy).
/// Count and one-signed sums keep their sensitivity (a unit's total moves within [0, L∞·max|v|] either way); top-k
/// scores each move by at most L∞ under both (permute-and-flip is calibrated to the non-monotone bound);
/// histograms (one unit's records move between two bins), means (the centred sum moves by twice the half range)
/// and sums whose clamp spans zero double.
/// </summary>
public static class ReplaceConversion
{
    /// <summary>1 when the aggregate's add/remove cost also holds under replace, else 2 (group of two).</summary>
    public static int GroupSize(AggregatePolicy aggregate)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        return aggregate.Kind switch
        {
            AggregateQuery.Count or AggregateQuery.TopK => 1,
            AggregateQuery.Sum => aggregate.Clamp is { } c && c.Lower < 0 && c.Upper > 0 ? 2 : 1,
            _ => 2,
        };
    }

    /// <summary>The cost of <paramref name="cost"/> for a group of <paramref name="groupSize"/> (1 or 2).</summary>
    public static PrivacyCost Convert(PrivacyCost cost, int groupSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groupSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(groupSize, 2);
        if (groupSize == 1)
        {
            return cost;
        }

        return cost.Kind switch
        {
            PrivacyCostKind.PureDp => PrivacyCost.Pure(cost.Epsilon.Scale(2)),
            PrivacyCostKind.Zcdp => PrivacyCost.Zcdp(new Rho(4 * cost.Rho.Value)),
            _ => PrivacyCost.Approximate(
                cost.Epsilon.Scale(2), new Delta(Math.Min(1, (1 + Math.Exp(cost.Epsilon.Value)) * cost.Delta.Value))),
        };
    }
}

using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Policy.Dp;

/// <summary>
/// Maps a validated segment's window, budget, unit and aggregates onto the window engine's
/// <see cref="SegmentAggregationSpec"/>. <c>maxContributionsPerUnit</c> becomes the per-window L∞ bound;
/// <c>continual: true</c> gives the counter the aggregate's own parameters (pure ε for Laplace; for Gaussian the ρ
/// whose (ε, δ) conversion is the aggregate's (ε, δ), zCDP only), the same costs <see cref="DpCosts"/> reports.
/// </summary>
public static class AggregationSpecMapper
{
    /// <summary>The segment's aggregation spec, or null when it declares no aggregates.</summary>
    /// <param name="segment">A segment of a validated policy.</param>
    /// <param name="policyVersion">The policy's version (part of every release key and noise label).</param>
    public static SegmentAggregationSpec? Map(SegmentPolicy segment, string policyVersion)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ArgumentException.ThrowIfNullOrEmpty(policyVersion);
        var privacy = segment.Privacy;
        if (privacy.Aggregates.Count == 0)
        {
            return null;
        }

        // Validation guarantees a window and a budget whenever aggregates are declared.
        var window = privacy.Window!;
        var budget = privacy.Budget!;
        return new SegmentAggregationSpec
        {
            Segment = segment.Name,
            PolicyVersion = policyVersion,
            Window = new WindowSpec(window.Size, window.Grace, window.IdleClose, maxFutureSkew: window.MaxFutureSkew),
            PrivacyUnit = privacy.Unit?.Field.Text,
            Aggregates = [.. privacy.Aggregates.Select(Map)],
            Budget = new BudgetSpec
            {
                Accountant = budget.Accountant,
                WindowCap = budget.PerWindow,
                LifetimeCap = budget.Lifetime,
                ReportingDelta = budget.Accountant == AccountantKind.Basic ? 1e-9 : budget.Parameter.Value,
            },
        };
    }

    private static AggregateSpec Map(AggregatePolicy aggregate) => new()
    {
        Name = aggregate.Name,
        Kind = aggregate.Kind switch
        {
            AggregateQuery.Count => AggregateKind.Count,
            AggregateQuery.Sum => AggregateKind.Sum,
            AggregateQuery.Mean => AggregateKind.Mean,
            AggregateQuery.Histogram => AggregateKind.Histogram,
            _ => AggregateKind.TopK,
        },
        Field = aggregate.Field?.Text,
        Clamp = aggregate.Clamp,
        Domain = aggregate.Domain,
        K = aggregate.K,
        MaxContributionsPerWindow = aggregate.MaxContributionsPerUnit,
        MaxWindowsPerUnit = aggregate.WindowsPerUnit,
        PostProcess = aggregate.PostProcess,
        Noise = aggregate.Noise,
        Continual = !aggregate.Continual ? null
            : aggregate.Noise.Kind == NoiseKind.Laplace ? PrivacyCost.Pure(aggregate.Noise.Epsilon)
            : PrivacyCost.Zcdp(ZcdpConversion.MaxRhoFor(aggregate.Noise.Epsilon, aggregate.Noise.Delta)),
    };
}

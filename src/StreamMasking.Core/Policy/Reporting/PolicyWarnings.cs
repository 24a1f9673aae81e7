using System.Globalization;
using StreamMasking.Core.Policy.Dp;

namespace StreamMasking.Core.Policy.Reporting;

/// <summary>
/// Warnings on a valid policy (<c>policy validate</c> and <c>policy explain</c> print them; they do not fail it):
/// event-level noise without a privacy unit (one person's loss is unbounded), and a worst case per unit per window above
/// <see cref="LargeWindowEpsilon"/> (zCDP at its reporting δ).
/// </summary>
public static class PolicyWarnings
{
    /// <summary>
    /// Per-window ε above which we warn: beyond ε = 1 a single window may raise an observer's odds about one unit by
    /// more than e ≈ 2.7×, the usual line between "strong" and "weak" DP in practice.
    /// </summary>
    public const double LargeWindowEpsilon = 1.0;

    /// <summary>The warnings, one line each, in segment order.</summary>
    public static IReadOnlyList<string> For(PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var warnings = new List<string>();
        foreach (var segment in policy.Segments)
        {
            var map = PrivacyRiskMapBuilder.Build(segment);
            if (segment.Privacy.Unit is null && map.Fields.Count > 0)
            {
                warnings.Add($"warning: segment {segment.Name}: event-level noise ({string.Join(", ", map.Fields.Select(f => f.Path))}) "
                    + "without a privacyUnit: nothing bounds how many events of one person are noised, so the loss per person is unbounded");
            }

            if (map.PerWindow is { } w && w.AsEpsilonDelta(map.ReportingDelta).Epsilon is var e && e > LargeWindowEpsilon)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"warning: segment {segment.Name}: worst case per unit per window ε={ComposedCost.Round(e)} exceeds {LargeWindowEpsilon}"));
            }
        }

        return warnings;
    }
}

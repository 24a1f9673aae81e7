using System.Globalization;
using StreamMasking.Core.Policy.Dp;

namespace StreamMasking.Core.Policy.Reporting;

/// <summary>
/// Composes the risk maps of segments that share a privacy unit field. Segments are disjoint per record (first match
/// wins) but not per person: one patient's visits and payments land in different segments, each spending on them. A
/// segment with DP that names the unit field but bounds another unit (or none) does not bound this unit at all.
/// </summary>
public static class UnitCompositionBuilder
{
    /// <summary>One composition per distinct privacy unit field, in order of first declaration.</summary>
    public static IReadOnlyList<UnitComposition> Build(PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var maps = policy.Segments.ToDictionary(s => s.Name, PrivacyRiskMapBuilder.Build, StringComparer.Ordinal);
        var units = policy.Segments.Where(s => s.Privacy.Unit is not null).Select(s => s.Privacy.Unit!.Field.Text)
            .Distinct(StringComparer.Ordinal).ToList();
        var result = new List<UnitComposition>();
        foreach (var unit in units)
        {
            var declaring = policy.Segments.Where(s => s.Privacy.Unit?.Field.Text == unit).ToList();
            var uncovered = policy.Segments
                .Where(s => s.Privacy.Unit?.Field.Text != unit && maps[s.Name].HasDifferentialPrivacy
                    && s.Fields.Any(f => f.Path.Text == unit))
                .Select(s => s.Name).ToList();
            var perWindow = Sum(declaring.Select(s => maps[s.Name]), m => m.PerWindow);
            var lifetime = Sum(declaring.Select(s => maps[s.Name]), m => m.Lifetime);
            result.Add(new UnitComposition(unit, [.. declaring.Select(s => s.Name)], perWindow, lifetime, uncovered));
        }

        return result;
    }

    /// <summary>Text lines for <see cref="PolicyExplainer.Explain"/>.</summary>
    public static IReadOnlyList<string> Describe(IReadOnlyList<UnitComposition> compositions)
    {
        ArgumentNullException.ThrowIfNull(compositions);
        var lines = new List<string>();
        foreach (var c in compositions)
        {
            lines.Add("");
            lines.Add($"privacy unit {c.UnitField} across segments {string.Join(", ", c.Segments)} (losses add; replace relation; zCDP shown as ε at its δ):");
            lines.Add("  worst case per unit, one window of each of these segments: " + Format(c.PerWindow));
            lines.Add("  worst case per unit over the lifetime of these segments: " + Format(c.Lifetime));
            if (c.Uncovered.Count > 0)
            {
                lines.Add($"  over every segment it can appear in: unbounded ({string.Join(", ", c.Uncovered)} name {c.UnitField} "
                    + "and noise its events without bounding this unit)");
            }
            else
            {
                lines.Add("  over every segment it can appear in: as above (no other DP segment names this field)");
            }
        }

        return lines;
    }

    private static (double Epsilon, double Delta)? Sum(IEnumerable<PrivacyRiskMap> maps, Func<PrivacyRiskMap, ComposedCost?> part)
    {
        double epsilon = 0, delta = 0;
        foreach (var map in maps.Where(m => m.HasDifferentialPrivacy))
        {
            if (part(map) is not { } cost)
            {
                return null;
            }

            var (e, d) = cost.AsEpsilonDelta(map.ReportingDelta);
            epsilon += e;
            delta += d;
        }

        return (epsilon, delta);
    }

    private static string Format((double Epsilon, double Delta)? total) => total is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"ε={ComposedCost.Round(t.Epsilon)}, δ={ComposedCost.Round(t.Delta)}")
        : "unbounded";
}

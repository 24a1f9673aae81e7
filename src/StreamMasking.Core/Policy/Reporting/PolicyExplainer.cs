using System.Globalization;

namespace StreamMasking.Core.Policy.Reporting;

/// <summary>
/// Describes a validated policy per segment: its topic, its match rule, what happens to each field (every field not
/// listed is dropped), and its privacy risk map (worst-case ε/δ per privacy unit per window and over the lifetime). Pure: returns data and text lines for the CLI to print (<c>policy validate</c>, <c>policy explain</c>).
/// </summary>
public static class PolicyExplainer
{
    /// <summary>Action keywords in display order.</summary>
    public static IReadOnlyList<string> ActionOrder { get; } = ["keep", "tokenize", "generalize", "partial", "laplace", "gaussian", "randomized-response", "drop"];

    /// <summary>One summary per segment, in declared order.</summary>
    public static IReadOnlyList<SegmentSummary> Summarize(PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return [.. policy.Segments.Select(Summarize)];
    }

    /// <summary>A summary of one segment.</summary>
    public static SegmentSummary Summarize(SegmentPolicy segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var fields = segment.Fields
            .Select(f => new FieldSummary(
                f.Path.Text, f.Action.Name, f.Action.Describe(), f.Source == FieldRuleSource.Path ? "path" : "tag " + f.Tag))
            .ToList();
        return new SegmentSummary(segment.Name, segment.MaskedTopic, segment.Match.Describe(), fields, Count(fields));
    }

    /// <summary>Text lines: per segment its topic, match rule and each field's action, then the drop-by-default rule.</summary>
    public static IReadOnlyList<string> Explain(PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var lines = new List<string>
        {
            $"policy {policy.SourceName} (version {policy.Version}): {policy.Segments.Count} segment(s), first match wins",
        };
        foreach (var segment in policy.Segments)
        {
            var s = Summarize(segment);
            lines.Add("");
            lines.Add($"segment {s.Name} -> topic {s.MaskedTopic}");
            lines.Add($"  match: {s.Match}");
            if (segment.Key.Kind != OutputKeyKind.None)
            {
                lines.Add(segment.Key.Kind == OutputKeyKind.Field
                    ? $"  key: segment token of {segment.Key.Field} (records are linkable by it)"
                    : "  key: segment token of the input key (records are linkable by it)");
            }
            var width = s.Fields.Count == 0 ? 0 : s.Fields.Max(f => f.Path.Length);
            foreach (var f in s.Fields)
            {
                var origin = f.Origin == "path" ? "" : $"  [{f.Origin}]";
                lines.Add($"  {f.Path.PadRight(width)}  {f.Description}{origin}");
            }

            lines.Add("  every other field: dropped");
            lines.AddRange(PrivacyRiskMapBuilder.Describe(segment, PrivacyRiskMapBuilder.Build(segment)));
        }

        lines.AddRange(UnitCompositionBuilder.Describe(UnitCompositionBuilder.Build(policy)));
        var warnings = PolicyWarnings.For(policy);
        if (warnings.Count > 0)
        {
            lines.Add("");
            lines.AddRange(warnings);
        }

        lines.Add("");
        lines.Add("records matching no segment: dead-lettered (unmatched_segment); nothing is published for them");
        return lines;
    }

    /// <summary>The privacy risk map of every segment, in declared order.</summary>
    public static IReadOnlyList<PrivacyRiskMap> RiskMaps(PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return [.. policy.Segments.Select(PrivacyRiskMapBuilder.Build)];
    }

    /// <summary><c>keep 3, tokenize 2</c>: counts in display order, zero counts left out.</summary>
    public static string FormatCounts(IReadOnlyDictionary<string, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var parts = ActionOrder.Where(a => counts.TryGetValue(a, out var n) && n > 0)
            .Select(a => string.Create(CultureInfo.InvariantCulture, $"{a} {counts[a]}"))
            .ToList();
        return parts.Count == 0 ? "no fields" : string.Join(", ", parts);
    }

    internal static Dictionary<string, int> Count(IEnumerable<FieldSummary> fields)
    {
        var counts = ActionOrder.ToDictionary(a => a, _ => 0, StringComparer.Ordinal);
        foreach (var f in fields)
        {
            counts[f.Action] = counts.GetValueOrDefault(f.Action) + 1;
        }

        return counts;
    }
}

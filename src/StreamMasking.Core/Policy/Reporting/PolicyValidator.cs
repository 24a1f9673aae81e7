using System.Globalization;

namespace StreamMasking.Core.Policy.Reporting;

/// <summary>The pure part of <c>policy validate FILE</c>: load, validate, and produce the lines to print.</summary>
public static class PolicyValidator
{
    /// <summary>Loads and validates a policy file.</summary>
    public static PolicyValidationReport ValidateFile(string path) => Report(PolicyLoader.LoadFile(path), path);

    /// <summary>Turns a load result into report lines.</summary>
    public static PolicyValidationReport Report(PolicyLoadResult result, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Policy is not { } policy)
        {
            var lines = result.Diagnostics.Select(d => d.ToString()).ToList();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{sourceName}: invalid policy, {result.Diagnostics.Count} error(s); nothing will flow until they are fixed"));
            return new PolicyValidationReport(false, lines, result.Diagnostics);
        }

        var summaries = PolicyExplainer.Summarize(policy);
        var total = PolicyExplainer.Count(summaries.SelectMany(s => s.Fields));
        var ok = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{sourceName}: valid policy version '{policy.Version}': {summaries.Count} segment(s), "
                + $"{summaries.Sum(s => s.Fields.Count)} field rule(s) ({PolicyExplainer.FormatCounts(total)})"),
        };
        ok.AddRange(summaries.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"  {s.Name} -> {s.MaskedTopic}: {s.Fields.Count} field(s) ({PolicyExplainer.FormatCounts(s.ActionCounts)})")));
        ok.AddRange(PolicyWarnings.For(policy));
        return new PolicyValidationReport(true, ok, []);
    }
}

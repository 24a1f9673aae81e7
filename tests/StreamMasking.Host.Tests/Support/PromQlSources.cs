using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace StreamMasking.Host.Tests.Support;

/// <summary>
/// Every PromQL expression of the Grafana dashboard (every <c>expr</c> property anywhere in it, panels nested in rows
/// included) and of the Prometheus rule file (every rule's <c>expr</c>). Grafana variables are substituted so that
/// Prometheus can evaluate them: <c>$__rate_interval</c>, <c>$__interval</c> and <c>$__range</c> become durations;
/// a label matcher on any other variable (<c>label="$var"</c> or <c>label=~"$var"</c>) matches everything.
/// </summary>
internal static partial class PromQlSources
{
    internal const string DashboardPath = "helm/streammasking/files/dashboards/streammasking.json";
    internal const string RulesPath = "helm/streammasking/files/rules/streammasking-rules.yaml";

    internal static IReadOnlyList<PromQlExpression> Dashboard(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var found = new List<PromQlExpression>();
        Walk(document.RootElement, "dashboard", found);
        return found;
    }

    internal static IReadOnlyList<PromQlExpression> Rules(string path)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            yaml.Load(reader);
        }

        var found = new List<PromQlExpression>();
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (var group in ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                var alert = rule.Children.TryGetValue("alert", out var a) ? ((YamlScalarNode)a).Value : null;
                var record = rule.Children.TryGetValue("record", out var r) ? ((YamlScalarNode)r).Value : null;
                var expr = ((YamlScalarNode)rule["expr"]).Value!;
                found.Add(new PromQlExpression($"rules: {alert ?? record}", Substitute(expr), alert));
            }
        }

        return found;
    }

    /// <summary>The <c>streammasking_*</c> metric names an expression reads (histogram suffixes removed).</summary>
    internal static IEnumerable<string> MetricNames(string expression) =>
        MetricName().Matches(expression).Select(m => Regex.Replace(m.Value, "_(bucket|sum|count)$", string.Empty)).Distinct();

    internal static string Substitute(string expression)
    {
        var text = expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal)
            .Replace("${__rate_interval}", "1m", StringComparison.Ordinal)
            .Replace("$__interval", "15s", StringComparison.Ordinal)
            .Replace("${__interval}", "15s", StringComparison.Ordinal)
            .Replace("$__range", "5m", StringComparison.Ordinal)
            .Replace("${__range}", "5m", StringComparison.Ordinal);
        text = VariableMatcher().Replace(text, m => $"{m.Groups[1].Value}=~\".*\"");
        return Variable().Replace(text, ".*");
    }

    private static void Walk(JsonElement element, string where, List<PromQlExpression> found)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var title = element.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                var here = title is null ? where : $"{where} / {title}";
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        if (!string.IsNullOrWhiteSpace(property.Value.GetString()))
                        {
                            found.Add(new PromQlExpression(here, Substitute(property.Value.GetString()!), null));
                        }
                    }
                    else
                    {
                        Walk(property.Value, here, found);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, where, found);
                }

                break;
        }
    }

    [GeneratedRegex(@"(\w+)\s*=~?\s*""\$\{?\w+(?::\w+)?\}?""")]
    private static partial Regex VariableMatcher();

    [GeneratedRegex(@"\$\{?\w+(?::\w+)?\}?")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\bstreammasking_[a-z0-9_]+")]
    private static partial Regex MetricName();
}

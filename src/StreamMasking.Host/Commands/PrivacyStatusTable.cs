using System.Globalization;
using System.Text.Json;

namespace StreamMasking.Host.Commands;

/// <summary>Formats the <c>/privacy</c> document as an aligned text table, one row per segment and scope.</summary>
internal static class PrivacyStatusTable
{
    private static readonly string[] Header = ["segment", "scope", "spent", "cap", "remaining", "releases", "suppressed", "exhausts in"];

    internal static IReadOnlyList<string> Lines(JsonElement root)
    {
        var rows = new List<string[]> { Header };
        foreach (var segment in root.GetProperty("segments").EnumerateArray())
        {
            var name = segment.GetProperty("segment").GetString()!;
            var budget = segment.GetProperty("budget");
            if (budget.ValueKind != JsonValueKind.Object)
            {
                var noised = segment.GetProperty("fields").EnumerateArray().Count(f => f.GetProperty("fate").GetString() is "laplace" or "gaussian" or "randomized-response");
                rows.Add([name, "-", "-", "-", "-", "0", "0", noised > 0 ? "no window budget" : "-"]);
                continue;
            }

            var releases = budget.GetProperty("releases").GetInt64().ToString(CultureInfo.InvariantCulture);
            var suppressed = budget.GetProperty("suppressions").EnumerateObject().Sum(p => p.Value.GetInt64()).ToString(CultureInfo.InvariantCulture);
            var exhausts = budget.GetProperty("exhausted").GetBoolean() ? "exhausted" : Duration(budget.GetProperty("secondsToExhaustion"));
            foreach (var scope in new[] { "window", "lifetime" })
            {
                var s = budget.GetProperty(scope);
                if (s.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var label = scope == "window" && s.GetProperty("window").ValueKind == JsonValueKind.Number
                    ? $"window {s.GetProperty("window").GetInt64()}"
                    : scope;
                rows.Add([name, label, Amounts(s.GetProperty("spent")), Amounts(s.GetProperty("cap")), Amounts(s.GetProperty("remaining")),
                    releases, suppressed, scope == "lifetime" ? exhausts : ""]);
            }
        }

        var widths = Enumerable.Range(0, Header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var lines = rows.Select(r => string.Join("  ", r.Select((c, i) => c.PadRight(widths[i]))).TrimEnd()).ToList();
        lines.Insert(0, $"policy {root.GetProperty("policySource").GetString()} v{root.GetProperty("policyVersion").GetString()}");
        return lines;
    }

    private static string Amounts(JsonElement amounts)
    {
        var parts = new List<string>();
        foreach (var (key, symbol) in new[] { ("epsilon", "ε"), ("delta", "δ"), ("rho", "ρ") })
        {
            if (amounts.GetProperty(key) is { ValueKind: JsonValueKind.Number } v)
            {
                parts.Add($"{symbol}={v.GetDouble().ToString("G4", CultureInfo.InvariantCulture)}");
            }
        }

        return parts.Count == 0 ? "-" : string.Join(' ', parts);
    }

    private static string Duration(JsonElement seconds)
    {
        if (seconds.ValueKind != JsonValueKind.Number)
        {
            return "unknown";
        }

        var span = TimeSpan.FromSeconds(Math.Min(seconds.GetDouble(), TimeSpan.MaxValue.TotalSeconds / 2));
        return span.TotalDays >= 1 ? $"{span.TotalDays:0.#} d" : span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h" : $"{span.TotalMinutes:0.#} min";
    }
}

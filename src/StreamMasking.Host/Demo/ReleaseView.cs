using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StreamMasking.Host.Demo;

/// <summary>
/// One differentially private release as a downstream consumer of the aggregates topic sees it: the fields of
/// <c>ReleaseJson</c> the demo displays. Released values are noisy by construction and safe to display.
/// </summary>
/// <param name="Segment">Segment name.</param>
/// <param name="Aggregate">Aggregate name.</param>
/// <param name="Kind">Aggregate kind (<c>count</c>, <c>sum</c>, <c>mean</c>, <c>histogram</c>, <c>top-k</c>).</param>
/// <param name="Continual">Whether this is the running total through the window.</param>
/// <param name="WindowIndex">Window index.</param>
/// <param name="WindowStart">Window start.</param>
/// <param name="Epsilon">ε of the release.</param>
/// <param name="Rho">ρ of the release under a zCDP accountant, else null.</param>
/// <param name="Value">Noisy value (count, sum, mean, running total), else null.</param>
/// <param name="HalfWidth">Half the width of the value's confidence interval, else null.</param>
/// <param name="Bins">Noisy histogram bins in domain order (empty for other kinds).</param>
/// <param name="Selected">Selected keys (top-k only; empty for other kinds).</param>
/// <param name="Step">Continual counter step (running totals only).</param>
internal sealed record ReleaseView(
    string Segment,
    string Aggregate,
    string Kind,
    bool Continual,
    long WindowIndex,
    DateTimeOffset WindowStart,
    double Epsilon,
    double? Rho,
    double? Value,
    double? HalfWidth,
    IReadOnlyList<(string Key, double Value, double HalfWidth)> Bins,
    IReadOnlyList<string> Selected,
    long? Step)
{
    /// <summary>The row label: the aggregate name, marked when it is the running total.</summary>
    internal string Label => Continual ? Aggregate + " (total)" : Aggregate;

    /// <summary>Parses an aggregates-topic record value; null when it is not a release.</summary>
    internal static ReleaseView? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var window = root.GetProperty("window");
            double? value = root.TryGetProperty("value", out var v) ? v.GetDouble() : null;
            double? halfWidth = root.TryGetProperty("ci", out var ci) ? HalfOf(ci) : null;
            var bins = root.TryGetProperty("bins", out var b)
                ? b.EnumerateArray().Select(x => (x.GetProperty("key").GetString() ?? string.Empty, x.GetProperty("value").GetDouble(), HalfOf(x))).ToList()
                : [];
            var selected = root.TryGetProperty("selected", out var s)
                ? s.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList()
                : [];
            return new ReleaseView(
                root.GetProperty("segment").GetString() ?? string.Empty,
                root.GetProperty("aggregate").GetString() ?? string.Empty,
                root.GetProperty("kind").GetString() ?? string.Empty,
                root.GetProperty("continual").GetBoolean(),
                window.GetProperty("index").GetInt64(),
                DateTimeOffset.Parse(window.GetProperty("start").GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                root.GetProperty("epsilon").GetDouble(),
                root.TryGetProperty("rho", out var rho) ? rho.GetDouble() : null,
                value,
                halfWidth,
                bins,
                selected,
                root.TryGetProperty("step", out var step) ? step.GetInt64() : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The released result in a few words: <c>37.2 ± 15.0</c>; histogram bins largest first, at most
    /// <paramref name="maxBins"/> of them, with their common half-width; the selected keys of a top-k.
    /// </summary>
    internal string Describe(int maxBins = 4)
    {
        if (Value is { } value)
        {
            return HalfWidth is { } h ? $"{F(value)} ± {F(h)}" : F(value);
        }

        if (Bins.Count > 0)
        {
            var text = new StringBuilder();
            foreach (var (key, binValue, _) in Bins.OrderByDescending(x => x.Value).Take(maxBins))
            {
                text.Append(text.Length == 0 ? string.Empty : " ").Append(key).Append('=').Append(F(binValue));
            }

            return text.Append(" (± ").Append(F(Bins.Max(x => x.HalfWidth))).Append(')').ToString();
        }

        return Selected.Count > 0 ? "top: " + string.Join(", ", Selected) : "(empty)";
    }

    private static double HalfOf(JsonElement interval) =>
        (interval.GetProperty("upper").GetDouble() - interval.GetProperty("lower").GetDouble()) / 2;

    private static string F(double value) => value.ToString(Math.Abs(value) >= 1000 ? "N0" : "0.0", CultureInfo.InvariantCulture);
}

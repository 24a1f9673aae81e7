using System.Globalization;
using System.Text.Json;
using StreamMasking.Core.Windowing;

namespace StreamMasking.Core.Release;

/// <summary>
/// Canonical JSON of a <see cref="WindowRelease"/>: fixed field order, absent fields omitted, doubles in
/// shortest round-trip form ("R", invariant culture), window bounds as ISO-8601 UTC with milliseconds. The same
/// release always serialises to the same bytes, which is what makes replays testably byte-identical.
/// </summary>
public static class ReleaseJson
{
    /// <summary>Serialises <paramref name="release"/> to UTF-8 JSON bytes.</summary>
    public static byte[] Serialize(WindowRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("segment", release.Segment);
            writer.WriteString("policyVersion", release.PolicyVersion);
            writer.WriteString("aggregate", release.Aggregate);
            writer.WriteString("kind", KindName(release.Kind));
            writer.WriteBoolean("continual", release.Continual);
            writer.WriteStartObject("window");
            writer.WriteNumber("index", release.WindowIndex);
            writer.WriteString("start", Iso(release.WindowStartMs));
            writer.WriteString("end", Iso(release.WindowEndMs));
            writer.WriteEndObject();
            writer.WriteString("mechanism", release.Mechanism);
            WriteDouble(writer, "epsilon", release.Epsilon);
            WriteDouble(writer, "delta", release.Delta);
            if (release.Rho is { } rho)
            {
                WriteDouble(writer, "rho", rho);
            }

            WriteDouble(writer, "noiseScale", release.NoiseScale);
            if (release.Value is { } value)
            {
                WriteDouble(writer, "value", value);
            }

            if (release.PostProcess.Count > 0)
            {
                writer.WriteStartArray("postProcess");
                foreach (var name in release.PostProcess)
                {
                    writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
            }

            if (release.Interval is { } interval)
            {
                writer.WriteStartObject("ci");
                WriteDouble(writer, "lower", interval.Lower);
                WriteDouble(writer, "upper", interval.Upper);
                WriteDouble(writer, "level", interval.Level);
                writer.WriteEndObject();
            }

            if (release.Bins is { } bins)
            {
                writer.WriteStartArray("bins");
                foreach (var bin in bins)
                {
                    writer.WriteStartObject();
                    writer.WriteString("key", bin.Key);
                    WriteDouble(writer, "value", bin.Value);
                    WriteDouble(writer, "lower", bin.Lower);
                    WriteDouble(writer, "upper", bin.Upper);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            if (release.Selected is { } selected)
            {
                writer.WriteStartArray("selected");
                foreach (var key in selected)
                {
                    writer.WriteStringValue(key);
                }

                writer.WriteEndArray();
            }

            if (release.Step is { } step)
            {
                writer.WriteNumber("step", step);
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The wire name of an aggregate kind.</summary>
    public static string KindName(AggregateKind kind) => kind switch
    {
        AggregateKind.Count => "count",
        AggregateKind.Sum => "sum",
        AggregateKind.Mean => "mean",
        AggregateKind.Histogram => "histogram",
        AggregateKind.TopK => "top-k",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string Iso(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"Release field {name} is not finite.");
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture));
    }
}

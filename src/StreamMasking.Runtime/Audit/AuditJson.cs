using System.Globalization;
using System.Text.Json;
using StreamMasking.Privacy.Accounting;

namespace StreamMasking.Runtime.Audit;

/// <summary>
/// Writers for the parts audit event data share: doubles in round-trip form (never NaN or infinity), times as
/// ISO-8601 UTC with milliseconds, windows, costs, spends and count maps (keys in ordinal order, so the same counts
/// always give the same bytes).
/// </summary>
internal static class AuditJson
{
    /// <summary>Formats Unix milliseconds as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    internal static string Iso(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes a finite double in shortest round-trip form; throws <see cref="ArgumentOutOfRangeException"/> otherwise.</summary>
    internal static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Audit field {name} is not a finite number.");
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>Writes <c>{"index", "start", "end"}</c> of a window.</summary>
    internal static void WriteWindow(Utf8JsonWriter writer, long index, long startMs, long endMs)
    {
        writer.WriteStartObject("window");
        writer.WriteNumber("index", index);
        writer.WriteString("start", Iso(startMs));
        writer.WriteString("end", Iso(endMs));
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>{"kind", "epsilon", "delta", "rho"}</c> of a cost (components outside the kind are 0).</summary>
    internal static void WriteCost(Utf8JsonWriter writer, string name, PrivacyCost cost)
    {
        writer.WriteStartObject(name);
        writer.WriteString("kind", AuditCodes.CostKindName(cost.Kind));
        WriteDouble(writer, "epsilon", cost.Epsilon.Value);
        WriteDouble(writer, "delta", cost.Delta.Value);
        WriteDouble(writer, "rho", cost.Rho.Value);
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>{"epsilon", "delta", "rho", "count"}</c> of ledger totals.</summary>
    internal static void WriteSpend(Utf8JsonWriter writer, string name, PrivacySpend spend)
    {
        writer.WriteStartObject(name);
        WriteDouble(writer, "epsilon", spend.Epsilon.Value);
        WriteDouble(writer, "delta", spend.Delta.Value);
        WriteDouble(writer, "rho", spend.Rho.Value);
        writer.WriteNumber("count", spend.Count);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The (checked) sum of non-negative counts, for a total written before its map; throws
    /// <see cref="ArgumentException"/> on a negative count.
    /// </summary>
    internal static long Total(IReadOnlyDictionary<string, long> counts, string parameterName)
    {
        var total = 0L;
        foreach (var count in counts.Values)
        {
            if (count < 0)
            {
                throw new ArgumentException("Counts must not be negative.", parameterName);
            }

            total = checked(total + count);
        }

        return total;
    }

    /// <summary>
    /// Writes a map of non-negative counts in ordinal key order and returns their (checked) sum; throws
    /// <see cref="ArgumentException"/> on a null key or a negative count.
    /// </summary>
    internal static long WriteCounts(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, long> counts, string parameterName)
    {
        var total = 0L;
        writer.WriteStartObject(name);
        foreach (var (key, count) in counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key is null || count < 0)
            {
                throw new ArgumentException("Counts need non-null keys and non-negative values.", parameterName);
            }

            writer.WriteNumber(key, count);
            total = checked(total + count);
        }

        writer.WriteEndObject();
        return total;
    }
}

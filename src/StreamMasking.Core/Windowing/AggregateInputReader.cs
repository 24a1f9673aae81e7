using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StreamMasking.Core.Windowing;

/// <summary>
/// Extracts a record's aggregate inputs and privacy unit from its JSON body by dotted field paths. Numbers feed sums
/// and means; strings, numbers and booleans are matched (ordinally, by their JSON text) against a declared domain.
/// A missing or unusable field yields <see cref="AggregateInput.Missing"/>.
/// </summary>
public static class AggregateInputReader
{
    /// <summary>Fills <paramref name="destination"/> (one slot per aggregate, declared order).</summary>
    public static void Read(JsonObject body, SegmentAggregationSpec spec, Span<AggregateInput> destination)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(spec);
        if (destination.Length != spec.Aggregates.Count)
        {
            throw new ArgumentException("One slot per aggregate is required.", nameof(destination));
        }

        for (var i = 0; i < destination.Length; i++)
        {
            var aggregate = spec.Aggregates[i];
            var node = aggregate.Field is null ? null : Find(body, aggregate.Field);
            destination[i] = aggregate.Kind switch
            {
                AggregateKind.Count => AggregateInput.Present,
                AggregateKind.Sum or AggregateKind.Mean => Number(node),
                _ => Category(node, aggregate),
            };
        }
    }

    /// <summary>The privacy unit of the record as text, or null when the spec has none or the field is missing.</summary>
    public static string? ReadUnit(JsonObject body, SegmentAggregationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(spec);
        return spec.PrivacyUnit is null ? null : ReadText(body, spec.PrivacyUnit);
    }

    /// <summary>
    /// The scalar at dotted <paramref name="path"/> as text (strings as is, numbers in round-trip form, booleans as
    /// <c>true</c>/<c>false</c>, so 42 and "42" read alike), or null when missing or not a scalar.
    /// </summary>
    public static string? ReadText(JsonObject body, string path)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(path);
        return Text(Find(body, path));
    }

    private static JsonNode? Find(JsonObject body, string path)
    {
        JsonNode? node = body;
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node))
            {
                return null;
            }
        }

        return node;
    }

    private static AggregateInput Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var number)
            ? AggregateInput.FromNumber(number)
            : AggregateInput.Missing;

    private static AggregateInput Category(JsonNode? node, AggregateSpec aggregate) =>
        Text(node) is { } text ? AggregateInput.FromCategory(aggregate.DomainIndexOf(text)) : AggregateInput.Missing;

    private static string? Text(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.TryGetValue<double>(out var d) ? d.ToString("R", CultureInfo.InvariantCulture) : null,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StreamMasking.Testing.Json;

/// <summary>
/// Compares JSON trees for tests: numbers by value, instants by the instant they name, object properties in any
/// order; a null property equals an absent one (an Avro optional field reads back as null).
/// </summary>
public static class JsonEquivalence
{
    /// <summary>The first difference as "path: why", or null when equivalent.</summary>
    public static string? Difference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        switch (expected, actual)
        {
            case (null, null):
                return null;
            case (JsonObject e, JsonObject a):
                foreach (var name in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    e.TryGetPropertyValue(name, out var ev);
                    a.TryGetPropertyValue(name, out var av);
                    if (Difference(ev, av, path + "." + name) is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    return $"{path}: {e.Count} items, found {a.Count}";
                }

                for (var i = 0; i < e.Count; i++)
                {
                    if (Difference(e[i], a[i], $"{path}[{i}]") is { } d)
                    {
                        return d;
                    }
                }

                return null;
            case (JsonValue e, JsonValue a):
                return Same(e, a) ? null : $"{path}: expected {e.ToJsonString()}, found {a.ToJsonString()}";
            default:
                return $"{path}: expected {expected?.ToJsonString() ?? "null"}, found {actual?.ToJsonString() ?? "null"}";
        }
    }

    private static bool Same(JsonValue e, JsonValue a)
    {
        var (ek, ak) = (e.GetValueKind(), a.GetValueKind());
        if (ek == JsonValueKind.Number && ak == JsonValueKind.Number)
        {
            return Number(e) == Number(a);
        }

        if (ek == JsonValueKind.String && ak == JsonValueKind.String)
        {
            var (es, @as) = (e.GetValue<string>(), a.GetValue<string>());
            return es == @as || (es.Contains('T', StringComparison.Ordinal)
                && DateTimeOffset.TryParse(es, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var et)
                && DateTimeOffset.TryParse(@as, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && et == at);
        }

        return ek == ak && e.ToJsonString() == a.ToJsonString();
    }

    private static double Number(JsonValue v) => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
}

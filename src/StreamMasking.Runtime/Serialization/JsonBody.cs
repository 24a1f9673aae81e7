using System.Text.Json;
using System.Text.Json.Nodes;

namespace StreamMasking.Runtime.Serialization;

/// <summary>Parses an input value as a JSON object; anything else is a malformed record.</summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    internal static bool TryParse(byte[]? value, out JsonObject body)
    {
        body = null!;
        if (value is null || value.Length == 0)
        {
            return false;
        }

        try
        {
            if (JsonNode.Parse(value, documentOptions: Options) is JsonObject obj)
            {
                // JsonObject materialises lazily and throws on duplicate property names at first access:
                // touch every node now so that such a record is malformed here, not a surprise in masking.
                Materialize(obj);
                body = obj;
                return true;
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Malformed: the caller dead-letters it. The exception text can quote the input, so it is not kept.
        }

        return false;
    }

    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Materialize(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Materialize(child);
                }

                break;
            default:
                break;
        }
    }
}

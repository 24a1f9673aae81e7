using System.Text.Json;
using System.Text.Json.Nodes;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>Copies the value (any JSON kind, including whole objects and arrays).</summary>
internal sealed class KeepOperation : FieldOperation
{
    public static KeepOperation Instance { get; } = new();

    public override bool TryApply(JsonNode value, out JsonNode? result)
    {
        // A parsed scalar wraps a read-only JsonElement: a new node over the same element is a copy without the cost of
        // DeepClone (which clones the element's backing document). Containers must be deep-cloned (a node has one parent).
        result = value is JsonValue scalar && scalar.TryGetValue<JsonElement>(out var element)
            ? JsonValue.Create(element)
            : value.DeepClone();
        return true;
    }
}

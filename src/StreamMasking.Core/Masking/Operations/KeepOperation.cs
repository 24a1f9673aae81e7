using System.Text.Json.Nodes;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>Copies the value (any JSON kind, including whole objects and arrays).</summary>
internal sealed class KeepOperation : FieldOperation
{
    public static KeepOperation Instance { get; } = new();

    public override bool TryApply(JsonNode value, out JsonNode? result)
    {
        result = value.DeepClone();
        return true;
    }
}

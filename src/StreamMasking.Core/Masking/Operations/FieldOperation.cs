using System.Text.Json.Nodes;
using StreamMasking.Core.Masking;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// A compiled field action. Stateless after construction (thread-safe). <c>TryApply</c> gets a non-null value
/// and returns false when the value cannot take the action (the record is then dead-lettered, fail closed).
/// Implementations never throw or log with field values.
/// </summary>
internal abstract class FieldOperation
{
    public abstract bool TryApply(JsonNode value, out JsonNode? result);

    /// <summary>Whether this is an event-level DP noise operation (stripped from over-cap events).</summary>
    public virtual bool IsNoise => false;

    /// <summary>Applies the action with per-record context (coordinates, privacy unit); <paramref name="path"/> is the field's policy path.</summary>
    public virtual bool TryApply(JsonNode value, string path, MaskContext context, out JsonNode? result) => TryApply(value, out result);
}

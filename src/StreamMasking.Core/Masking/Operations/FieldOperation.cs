using System.Text.Json.Nodes;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// A compiled field action. Stateless after construction (thread-safe). <see cref="TryApply"/> gets a non-null value
/// and returns false when the value cannot take the action (the record is then dead-lettered, fail closed).
/// Implementations never throw or log with field values.
/// </summary>
internal abstract class FieldOperation
{
    public abstract bool TryApply(JsonNode value, out JsonNode? result);
}

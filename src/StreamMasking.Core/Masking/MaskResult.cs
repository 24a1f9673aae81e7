using System.Text.Json.Nodes;
using StreamMasking.Core.DeadLetters;

namespace StreamMasking.Core.Masking;

/// <summary>
/// The result of masking one record: the masked output, or a failure reason and the field path that failed.
/// A failed record is dead-lettered whole (fail closed); it is never partially published. Never carries field values.
/// </summary>
public sealed class MaskResult
{
    private MaskResult(JsonObject? output, DeadLetterReason? reason, string? fieldPath)
    {
        Output = output;
        Reason = reason;
        FieldPath = fieldPath;
    }

    /// <summary>True when the record was masked and <see cref="Output"/> is set.</summary>
    public bool IsMasked => Output is not null;

    /// <summary>The masked record (only named fields, after their actions), or null on failure.</summary>
    public JsonObject? Output { get; }

    /// <summary>Why masking failed, or null on success.</summary>
    public DeadLetterReason? Reason { get; }

    /// <summary>The policy path of the field that failed (e.g. <c>patient.age</c>), when a field caused the failure.</summary>
    public string? FieldPath { get; }

    /// <summary>A successful outcome.</summary>
    public static MaskResult Masked(JsonObject output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new MaskResult(output, null, null);
    }

    /// <summary>A failed outcome.</summary>
    public static MaskResult Failed(DeadLetterReason reason, string? fieldPath) => new(null, reason, fieldPath);

    /// <inheritdoc />
    public override string ToString() => IsMasked ? "Masked" : $"Failed({Reason}, {FieldPath})";
}

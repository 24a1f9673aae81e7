using System.Text.Json.Nodes;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Masking;

/// <summary>
/// Per-record inputs of noise operations: the source coordinates and, when the segment declares a privacy unit, the
/// unit id (read lazily, once). One instance per masked record; not shared between threads.
/// </summary>
internal sealed class MaskContext(RecordEnvelope record, FieldPath? unitField)
{
    private bool _unitRead;
    private string? _unit;

    public RecordCoordinates? Coordinates => record.Coordinates;

    /// <summary>Whether the segment declares a privacy unit (randomized response then has a permanent layer memoized per unit and value).</summary>
    public bool HasUnitField => unitField is not null;

    /// <summary>The unit id as canonical text (strings as-is, numbers canonical), or false when absent or not a scalar.</summary>
    public bool TryGetUnit(out string unit)
    {
        if (!_unitRead)
        {
            _unitRead = true;
            _unit = Read(record.Body, unitField);
        }

        unit = _unit ?? "";
        return _unit is not null;
    }

    /// <summary>The canonical text of the scalar at <paramref name="path"/>, or null when absent or not a scalar.</summary>
    internal static string? Read(JsonObject body, FieldPath? path)
    {
        if (path is null)
        {
            return null;
        }

        JsonNode? node = body;
        foreach (var segment in path.Segments)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(segment, out node))
            {
                return null;
            }
        }

        return JsonScalars.TryGetText(node, out var text) ? text : null;
    }
}

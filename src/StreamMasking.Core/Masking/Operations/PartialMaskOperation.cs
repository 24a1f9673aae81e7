using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// Keeps the first/last N user-perceived characters and replaces each other character with the mask character
/// (the length stays visible). A string (or number, by canonical text) with no more than keepFirst + keepLast characters
/// is masked entirely: a partial mask never reveals a whole value. The output is always a string; other kinds fail.
/// </summary>
internal sealed class PartialMaskOperation(int keepFirst, int keepLast, string maskChar) : FieldOperation
{
    public override bool TryApply(JsonNode value, out JsonNode? result)
    {
        result = null;
        if (value is not JsonValue scalar
            || scalar.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number)
            || !JsonScalars.TryGetText(value, out var text))
        {
            return false;
        }

        var bounds = TextElements.Boundaries(text);
        var count = bounds.Length - 1;
        var builder = new StringBuilder(text.Length + (count * maskChar.Length));
        if (count <= keepFirst + keepLast)
        {
            for (var i = 0; i < count; i++)
            {
                builder.Append(maskChar);
            }
        }
        else
        {
            builder.Append(text, 0, bounds[keepFirst]);
            for (var i = keepFirst; i < count - keepLast; i++)
            {
                builder.Append(maskChar);
            }

            builder.Append(text, bounds[count - keepLast], text.Length - bounds[count - keepLast]);
        }

        result = JsonValue.Create(builder.ToString());
        return true;
    }
}

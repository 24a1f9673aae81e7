using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>Keeps the first N user-perceived characters of a string (shorter strings pass whole). Non-strings fail.</summary>
internal sealed class PrefixOperation(int length) : FieldOperation
{
    public override bool TryApply(JsonNode value, out JsonNode? result)
    {
        result = null;
        if (value is not JsonValue scalar || scalar.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }

        var text = JsonScalars.GetString(scalar);
        if (TextElements.IsSimple(text))
        {
            result = JsonValue.Create(text.Length <= length ? text : text[..length]);
            return true;
        }

        var offset = 0;
        for (var i = 0; i < length && offset < text.Length; i++)
        {
            offset += StringInfo.GetNextTextElementLength(text, offset);
        }

        result = JsonValue.Create(text[..offset]);
        return true;
    }
}

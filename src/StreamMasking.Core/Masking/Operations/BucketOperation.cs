using System.Text.Json.Nodes;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// A JSON number v becomes the bucket <c>[floor(v/w)*w, floor(v/w)*w + w)</c> in exact decimal arithmetic:
/// <c>"[40,50)"</c> or the lower bound as a number. Negative values floor downwards (-5 with width 10 → <c>[-10,0)</c>).
/// Non-numbers (including numeric strings) and numbers outside decimal's range fail.
/// </summary>
internal sealed class BucketOperation(decimal width, BucketOutput output) : FieldOperation
{
    public override bool TryApply(JsonNode value, out JsonNode? result)
    {
        result = null;
        if (!JsonScalars.TryGetDecimal(value, out var number))
        {
            return false;
        }

        decimal lower;
        decimal upper;
        try
        {
            lower = decimal.Floor(number / width) * width;
            upper = lower + width;
        }
        catch (OverflowException)
        {
            return false;
        }

        result = output == BucketOutput.Lower
            ? JsonValue.Create(Normalize(lower))
            : JsonValue.Create("[" + JsonScalars.CanonicalNumber(lower) + "," + JsonScalars.CanonicalNumber(upper) + ")");
        return true;
    }

    // Dividing by 1.000…0 drops trailing zeros of the scale, so 40.0 is written as 40.
    private static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
}

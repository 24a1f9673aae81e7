using System.Text.Json.Nodes;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Records;
using StreamMasking.Privacy.Identity;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// <c>laplace</c> / <c>gaussian</c>: a finite JSON number is clamped to the declared bounds (out-of-range inputs are
/// clamped, not rejected) and released with granularity-safe noise (<see cref="EventNoise"/>), drawn from the segment
/// noise key's stream for the field's <see cref="EventNoiseLabel"/> (mechanism, parameters, policy content, coordinates, field, value). Non-numbers, numeric strings, and records without coordinates fail
/// (fail closed: no noise source, no release).
/// </summary>
internal sealed class NumericNoiseOperation(NoiseFieldAction action, byte[] noiseKey, string contentHash) : FieldOperation
{
    // The identity's fixed part (mechanism, parameters, policy hash), composed once for every record.
    private readonly NoiseIdentityPrefix _prefix = EventNoiseLabel.Prefix(action, contentHash);

    public override bool IsNoise => true;

    public override bool TryApply(JsonNode value, out JsonNode? result)
    {
        result = null;
        return false;
    }

    public override bool TryApply(JsonNode value, string path, MaskContext context, out JsonNode? result)
    {
        result = null;
        if (context.Coordinates is not { } coordinates || !JsonScalars.TryGetDouble(value, out var number))
        {
            return false;
        }

        try
        {
            var random = EventNoiseLabel.For(_prefix, coordinates, path, EventNoise.Clamped(action, number), noiseKey);
            var release = EventNoise.Release(action, number, random);
            result = JsonValue.Create(release.Value);
            return true;
        }
        catch (OverflowException)
        {
            return false; // the noisy value does not fit a double: nothing safe to publish
        }
    }
}

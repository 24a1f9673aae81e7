using System.Text.Json;
using System.Text.Json.Nodes;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Records;
using StreamMasking.Privacy.Identity;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// <c>randomized-response</c> on a JSON boolean, or on a value among the declared categories (matched by canonical
/// text, ordinal). Where the segment declares a privacy unit the response has two layers
/// (<see cref="TwoLayerRandomizedResponse"/>): a permanent response memoized per (unit, field, value), so repeats of
/// the same value cannot average the noise away, passed through an instantaneous response drawn freshly for each
/// report, so a changed report no longer proves a changed value (labels: <see cref="RandomizedResponseLabel"/>; the
/// permanent label deliberately leaves out the policy content hash, so an unrelated policy edit never hands out a
/// fresh permanent response for an unchanged value). Without a unit each report is one k-RR keyed by the field's
/// <see cref="EventNoiseLabel"/> (mechanism, k, categories, ε, policy content, coordinates, field, value). Values
/// outside the domain, a missing unit id, or missing coordinates fail.
/// </summary>
internal sealed class RandomizedResponseOperation : FieldOperation
{
    private readonly RandomizedResponseAction _action;
    private readonly byte[] _noiseKey;
    private readonly RandomizedResponse _mechanism;
    private readonly TwoLayerRandomizedResponse? _twoLayer;
    private readonly string _fieldPath;
    private readonly string[]? _categories;
    private readonly NoiseIdentityPrefix _prefix;

    public RandomizedResponseOperation(RandomizedResponseAction action, byte[] noiseKey, string fieldPath, bool memoize, string contentHash)
    {
        _prefix = EventNoiseLabel.Prefix(action, contentHash);
        _action = action;
        _fieldPath = fieldPath;
        // k-RR is symmetric in its categories: index them in canonical (ordinal) order, so that the random stream maps
        // to the same values whatever order the policy declares them in.
        _categories = action.Categories?.Order(StringComparer.Ordinal).ToArray();
        _noiseKey = noiseKey;
        _mechanism = new RandomizedResponse(action.CategoryCount, action.Epsilon);
        _twoLayer = memoize ? new TwoLayerRandomizedResponse(action.CategoryCount, action.PermanentEpsilonOrDefault, action.Epsilon) : null;
    }

    public override bool IsNoise => true;

    public override bool TryApply(JsonNode value, out JsonNode? result)
    {
        result = null;
        return false;
    }

    public override bool TryApply(JsonNode value, string path, MaskContext context, out JsonNode? result)
    {
        result = null;
        var index = IndexOf(value);
        if (index < 0)
        {
            return false;
        }

        if (context.Coordinates is not { } coordinates)
        {
            return false;
        }

        int report;
        if (_twoLayer is not null)
        {
            if (!context.TryGetUnit(out var unit))
            {
                return false;
            }

            // The memo key holds the value itself (not its index), so reordering the categories keeps every report.
            var permanent = new KeyedRandomSource(_noiseKey, RandomizedResponseLabel.Permanent(_action, _fieldPath, unit, ValueText(index)));
            var instantaneous = new KeyedRandomSource(_noiseKey, RandomizedResponseLabel.Instantaneous(_action, path, coordinates));
            report = _twoLayer.Report(permanent, instantaneous, index);
        }
        else
        {
            report = _mechanism.Report(EventNoiseLabel.For(_prefix, coordinates, path, index, _noiseKey), index);
        }

        result = _categories is { } categories ? JsonValue.Create(categories[report]) : JsonValue.Create(report == 1);
        return true;
    }

    private string ValueText(int index) => _categories is { } categories ? categories[index] : index == 1 ? "true" : "false";

    private int IndexOf(JsonNode value)
    {
        if (_categories is null)
        {
            return value is JsonValue v ? v.GetValueKind() switch
            {
                JsonValueKind.True => 1,
                JsonValueKind.False => 0,
                _ => -1,
            } : -1;
        }

        if (!JsonScalars.TryGetText(value, out var text))
        {
            return -1;
        }

        for (var i = 0; i < _categories.Length; i++)
        {
            if (string.Equals(_categories[i], text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Records;
using StreamMasking.Privacy.Mechanisms;

namespace StreamMasking.Core.Masking.Operations;

/// <summary>
/// <c>randomized-response</c> on a JSON boolean, or on a value among the declared categories (matched by canonical
/// text, ordinal). Where the segment declares a privacy unit the report is memoized per (unit, field, value), so the
/// same person repeating the same value always gets the same report; otherwise the report's randomness is keyed by
/// the field's <see cref="EventNoiseLabel"/> (mechanism, k, categories, ε, policy content, coordinates, field, value). Values outside the domain, a missing unit id, or missing coordinates fail.
/// </summary>
internal sealed class RandomizedResponseOperation : FieldOperation
{
    private readonly RandomizedResponseAction _action;
    private readonly byte[] _noiseKey;
    private readonly RandomizedResponse _mechanism;
    private readonly MemoizedRandomizedResponse? _memoized;
    private readonly string _contentHash;

    public RandomizedResponseOperation(RandomizedResponseAction action, byte[] noiseKey, string path, bool memoize, string contentHash)
    {
        _contentHash = contentHash;
        _action = action;
        _noiseKey = noiseKey;
        _mechanism = new RandomizedResponse(action.CategoryCount, action.Epsilon);
        _memoized = memoize ? new MemoizedRandomizedResponse(noiseKey, path, _mechanism) : null;
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

        int report;
        if (_memoized is not null)
        {
            if (!context.TryGetUnit(out var unit))
            {
                return false;
            }

            report = _memoized.Report(unit, index);
        }
        else
        {
            if (context.Coordinates is not { } coordinates)
            {
                return false;
            }

            report = _mechanism.Report(EventNoiseLabel.For(_action, _contentHash, coordinates, path, index, _noiseKey), index);
        }

        result = _action.Categories is { } categories ? JsonValue.Create(categories[report]) : JsonValue.Create(report == 1);
        return true;
    }

    private int IndexOf(JsonNode value)
    {
        if (_action.Categories is null)
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

        for (var i = 0; i < _action.Categories.Count; i++)
        {
            if (string.Equals(_action.Categories[i], text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Core.Masking.Operations;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Identity;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Masking;

/// <summary>
/// A segment's field rules compiled into a tree of operations. Masking walks only the policy's named paths, building
/// a new output object, so a field the policy does not name can never reach the output. Immutable; thread-safe.
/// </summary>
internal sealed class SegmentPlan : IDisposable
{
    /// <summary>The path a dead letter names when <c>key: input-key</c> meets a record without a key.</summary>
    public const string InputKeyPath = "$key";

    private readonly PlanNode[] _roots;
    private readonly bool _keepNulls;
    private readonly SegmentHmac _hmac;
    private readonly byte[] _noiseKey;
    private readonly FieldPath? _unitField;
    private readonly bool _hasNoise;
    private readonly string _contentHash;
    private readonly OutputKey _key;

    public SegmentPlan(SegmentPolicy segment, PolicyDefaults defaults, byte[] tokenKey, byte[] noiseKey)
    {
        _keepNulls = defaults.Nulls == NullHandling.Keep;
        var hmac = _hmac = new SegmentHmac(tokenKey);
        _noiseKey = [.. noiseKey];
        _unitField = segment.Privacy.Unit?.Field;
        _key = segment.Key;
        _contentHash = PolicyContentHash.Of(segment);
        var leaves = segment.Fields
            .Where(f => f.Action is not DropAction) // dropping = never copying
            .Select(f => (f.Path.Segments, Operation: Compile(f, hmac)))
            .ToList();
        _hasNoise = leaves.Any(l => l.Operation.IsNoise);
        _roots = Build(leaves, depth: 0, prefix: "");
    }

    public void Dispose()
    {
        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_noiseKey);
    }

    public MaskResult Mask(RecordEnvelope record)
    {
        var output = new JsonObject();
        var context = _hasNoise ? new MaskContext(record, _unitField) : null;
        var failure = Apply(record.Body, _roots, output, context);
        return failure is null ? MaskResult.Masked(output) : failure;
    }

    /// <summary>
    /// Removes every noised field from <paramref name="masked"/>, an output of <see cref="Mask"/> under this plan, and
    /// every object left empty by that (masking never writes an empty object). The rest stays as masked, so the result
    /// is byte-identical to masking the record without its noised fields, and the record is masked only once.
    /// </summary>
    public void StripNoised(JsonObject masked)
    {
        if (_hasNoise)
        {
            Strip(masked, _roots);
        }
    }

    private static void Strip(JsonObject output, PlanNode[] nodes)
    {
        foreach (var node in nodes)
        {
            if (node.Operation is { IsNoise: true })
            {
                output.Remove(node.Name); // an over-cap event keeps no noised field, not even a null
            }
            else if (node.Operation is null && output[node.Name] is JsonObject child)
            {
                Strip(child, node.Children);
                if (child.Count == 0)
                {
                    output.Remove(node.Name);
                }
            }
        }
    }

    /// <summary>
    /// The key of the masked record: null for <c>key: none</c>, else the segment token of the key field's value or of
    /// the input key. False (with the path that failed: the field, or <c>$key</c>) when the field is absent or not a
    /// scalar, or the record has no key: such a record is dead-lettered, never published without the declared key.
    /// </summary>
    public bool TryKey(RecordEnvelope record, byte[]? inputKey, out string? token, out string? failedPath)
    {
        token = null;
        failedPath = null;
        switch (_key.Kind)
        {
            case OutputKeyKind.Field:
                if (MaskContext.Read(record.Body, _key.Field) is not { } text)
                {
                    failedPath = _key.Field!.Text;
                    return false;
                }

                token = TokenizeOperation.Token(_hmac, text);
                return true;
            case OutputKeyKind.InputKey:
                if (inputKey is null)
                {
                    failedPath = InputKeyPath;
                    return false;
                }

                token = TokenizeOperation.Token(_hmac, inputKey);
                return true;
            default:
                return true;
        }
    }

    private MaskResult? Apply(JsonObject input, PlanNode[] nodes, JsonObject output, MaskContext? context)
    {
        foreach (var node in nodes)
        {
            if (!input.TryGetPropertyValue(node.Name, out var value))
            {
                continue; // missing optional field: absent
            }

            if (node.Operation is { } operation)
            {
                if (value is null)
                {
                    if (_keepNulls)
                    {
                        output[node.Name] = null;
                    }

                    continue;
                }

                var applied = context is not null
                    ? operation.TryApply(value, node.Path, context, out var result)
                    : operation.TryApply(value, out result);
                if (!applied)
                {
                    return MaskResult.Failed(DeadLetterReason.FieldActionFailed, node.Path);
                }

                output[node.Name] = result;
                continue;
            }

            if (value is null)
            {
                continue; // a null parent holds none of the named children
            }

            if (value is not JsonObject child)
            {
                return MaskResult.Failed(DeadLetterReason.SchemaMismatch, node.Path);
            }

            var childOutput = new JsonObject();
            var failure = Apply(child, node.Children, childOutput, context);
            if (failure is not null)
            {
                return failure;
            }

            if (childOutput.Count > 0)
            {
                output[node.Name] = childOutput;
            }
        }

        return null;
    }

    private static PlanNode[] Build(List<(IReadOnlyList<string> Segments, FieldOperation Operation)> rules, int depth, string prefix)
    {
        var nodes = new List<PlanNode>();
        foreach (var group in rules.GroupBy(r => r.Segments[depth], StringComparer.Ordinal))
        {
            var path = prefix.Length == 0 ? group.Key : prefix + "." + group.Key;
            var leaf = group.FirstOrDefault(r => r.Segments.Count == depth + 1);
            nodes.Add(leaf.Operation is not null
                ? new PlanNode(group.Key, path, leaf.Operation, [])
                : new PlanNode(group.Key, path, null, Build([.. group], depth + 1, path)));
        }

        return [.. nodes];
    }

    private FieldOperation Compile(FieldRule rule, SegmentHmac hmac) => rule.Action switch
    {
        LaplaceAction or GaussianAction => new NumericNoiseOperation((NoiseFieldAction)rule.Action, _noiseKey, _contentHash),
        RandomizedResponseAction r => new RandomizedResponseOperation(r, _noiseKey, rule.Path.ToString(), memoize: _unitField is not null, _contentHash),
        KeepAction => KeepOperation.Instance,
        TokenizeAction => new TokenizeOperation(hmac),
        GeneralizeBucketAction b => new BucketOperation(b.Width, b.Output),
        GeneralizeDateAction d => new DateTruncateOperation(d.Unit),
        GeneralizePrefixAction p => new PrefixOperation(p.Length),
        PartialMaskAction m => new PartialMaskOperation(m.KeepFirst, m.KeepLast, m.MaskChar),
        _ => throw new ArgumentException($"No masking operation for action '{rule.Action.Name}'.", nameof(rule)),
    };
}

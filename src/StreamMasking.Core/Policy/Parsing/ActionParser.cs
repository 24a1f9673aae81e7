using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Yaml;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>
/// Parses a field action: a bare keyword (<c>drop</c>, <c>keep</c>, <c>tokenize</c>) or a mapping with an
/// <c>action</c> key and that action's options. Adding an action = one entry here plus one masking operation.
/// </summary>
internal static class ActionParser
{
    private static readonly string[] ActionNames = ["drop", "keep", "tokenize", "generalize", "partial", "laplace", "gaussian", "randomized-response"];

    private static readonly string[] SimpleKeys = ["action"];
    private static readonly string[] GeneralizeKeys = ["action", "bucket", "output", "truncate", "prefix"];
    private static readonly string[] PartialKeys = ["action", "keepFirst", "keepLast", "maskChar"];
    private static readonly string[] AllKeys =
        [.. GeneralizeKeys.Concat(PartialKeys).Concat(NoiseActionParser.NumericKeys).Concat(NoiseActionParser.ResponseKeys).Distinct()];

    public static FieldAction? Parse(YNode node, string path, PolicyDiagnosticBag bag, PolicyDefaults defaults)
    {
        switch (node)
        {
            case YScalar { IsNull: false } scalar:
                return scalar.Value switch
                {
                    "drop" => DropAction.Instance,
                    "keep" => KeepAction.Instance,
                    "tokenize" => TokenizeAction.Instance,
                    "generalize" or "partial" or "laplace" or "gaussian" or "randomized-response" => Fail(
                        bag, node, path, $"action '{scalar.Value}' needs options; write it as a mapping, e.g. {Example(scalar.Value)}"),
                    _ => Fail(bag, node, path, UnknownActionMessage(scalar.Value)),
                };
            case YMapping mapping:
                return ParseMapping(mapping, path, bag, defaults);
            default:
                return Fail(bag, node, path, $"must be an action name or a mapping with 'action', found {node.KindName}");
        }
    }

    private static FieldAction? ParseMapping(YMapping mapping, string path, PolicyDiagnosticBag bag, PolicyDefaults defaults)
    {
        var actionEntries = mapping.Entries.Where(e => e.Key.Value == "action").ToList();
        if (actionEntries.Count == 0)
        {
            // Report unknown keys too, so a typo such as 'acton' is pointed at.
            _ = new MappingReader(mapping, path, bag, AllKeys);
            return Fail(bag, mapping, path, "missing required key 'action'");
        }

        var actionPath = PolicyPath.Key(path, "action");
        var name = YamlValues.Text(actionEntries[0].Value, actionPath, bag);
        switch (name)
        {
            case null:
                _ = new MappingReader(mapping, path, bag, AllKeys);
                return null;
            case "drop" or "keep" or "tokenize":
                {
                    _ = new MappingReader(mapping, path, bag, SimpleKeys);
                    return name switch
                    {
                        "drop" => DropAction.Instance,
                        "keep" => KeepAction.Instance,
                        _ => TokenizeAction.Instance,
                    };
                }

            case "generalize":
                return ParseGeneralize(new MappingReader(mapping, path, bag, GeneralizeKeys), bag);
            case "partial":
                return ParsePartial(new MappingReader(mapping, path, bag, PartialKeys), bag, defaults);
            case "laplace" or "gaussian" or "randomized-response":
                return NoiseActionParser.Parse(name, mapping, path, bag);
            default:
                return Fail(bag, actionEntries[0].Value, actionPath, UnknownActionMessage(name));
        }
    }

    private static FieldAction? ParseGeneralize(MappingReader reader, PolicyDiagnosticBag bag)
    {
        var modes = reader.PresentOf("bucket", "truncate", "prefix");
        if (modes.Count == 0)
        {
            return Fail(bag, reader.Node, reader.Path, "generalize needs exactly one of 'bucket', 'truncate', 'prefix'");
        }

        if (modes.Count > 1)
        {
            var second = reader.KeyNode(modes[1])!;
            return Fail(bag, second, reader.ChildPath(modes[1]),
                $"conflicting options '{modes[0]}' and '{modes[1]}': generalize takes exactly one of 'bucket', 'truncate', 'prefix'");
        }

        var mode = modes[0];
        var outputNode = reader.Get("output");
        if (outputNode is not null && mode != "bucket")
        {
            return Fail(bag, reader.KeyNode("output")!, reader.ChildPath("output"), "'output' applies only to 'bucket'");
        }

        var value = reader.Get(mode)!;
        var valuePath = reader.ChildPath(mode);
        switch (mode)
        {
            case "bucket":
                {
                    var width = YamlValues.PositiveDecimal(value, valuePath, bag);
                    var output = outputNode is null ? 0 : YamlValues.OneOf(outputNode, reader.ChildPath("output"), bag, "range", "lower");
                    return width is null || output is null
                        ? null
                        : new GeneralizeBucketAction(width.Value, output == 0 ? BucketOutput.Range : BucketOutput.Lower);
                }

            case "truncate":
                {
                    var unit = YamlValues.OneOf(value, valuePath, bag, "year", "month", "day", "hour");
                    return unit is null ? null : new GeneralizeDateAction((DateTruncation)unit.Value);
                }

            default:
                {
                    var length = YamlValues.Integer(value, valuePath, bag, minimum: 1);
                    return length is null ? null : new GeneralizePrefixAction(length.Value);
                }
        }
    }

    private static PartialMaskAction? ParsePartial(MappingReader reader, PolicyDiagnosticBag bag, PolicyDefaults defaults)
    {
        if (!reader.Has("keepFirst") && !reader.Has("keepLast"))
        {
            Fail(bag, reader.Node, reader.Path, "partial needs 'keepFirst' and/or 'keepLast'");
            return null;
        }

        var ok = true;
        var first = 0;
        var last = 0;
        if (reader.Get("keepFirst") is { } firstNode)
        {
            var v = YamlValues.Integer(firstNode, reader.ChildPath("keepFirst"), bag, minimum: 0);
            ok &= v is not null;
            first = v ?? 0;
        }

        if (reader.Get("keepLast") is { } lastNode)
        {
            var v = YamlValues.Integer(lastNode, reader.ChildPath("keepLast"), bag, minimum: 0);
            ok &= v is not null;
            last = v ?? 0;
        }

        var maskChar = defaults.MaskChar;
        if (reader.Get("maskChar") is { } maskNode)
        {
            var v = YamlValues.SingleCharacter(maskNode, reader.ChildPath("maskChar"), bag);
            ok &= v is not null;
            maskChar = v ?? maskChar;
        }

        return ok ? new PartialMaskAction(first, last, maskChar) : null;
    }

    private static string UnknownActionMessage(string name) =>
        $"unknown action '{name}'; expected one of: {string.Join(", ", ActionNames)}";

    private static string Example(string name) => name switch
    {
        "generalize" => "{ action: generalize, bucket: 10 }",
        "partial" => "{ action: partial, keepLast: 4 }",
        "laplace" => "{ action: laplace, epsilon: 0.5, clamp: { min: 0, max: 100 } }",
        "gaussian" => "{ action: gaussian, epsilon: 0.5, delta: 1e-6, clamp: { min: 0, max: 100 } }",
        _ => "{ action: randomized-response, epsilon: 1 }",
    };

    private static FieldAction? Fail(PolicyDiagnosticBag bag, YNode node, string path, string message)
    {
        bag.Add(node, path, message);
        return null;
    }
}

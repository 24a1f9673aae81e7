using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Matching;
using StreamMasking.Core.Policy.Yaml;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>
/// Parses one entry of <c>segments</c>: name, match rule, field actions, segment-level tag actions and the DP keys
/// (<c>privacyUnit</c>, <c>window</c>, <c>budget</c>, <c>aggregates</c>).
/// </summary>
internal static class SegmentParser
{
    private static readonly string[] Keys = ["name", "match", "fields", "tags", "privacyUnit", "window", "budget", "aggregates", "output", "key"];

    public static (SegmentPolicy? Segment, YNode? NameNode) Parse(YNode node, int index, string path, PolicyContext ctx)
    {
        var bag = ctx.Bag;
        var mapping = YamlValues.Mapping(node, path, bag);
        if (mapping is null)
        {
            return (null, null);
        }

        var reader = new MappingReader(mapping, path, bag, Keys);
        var nameNode = reader.Require("name");
        var name = nameNode is null ? null : YamlValues.Text(nameNode, reader.ChildPath("name"), bag);
        string? topic = null;
        if (name is not null)
        {
            if (!TopicNames.IsSafe(name))
            {
                bag.Add(nameNode!, reader.ChildPath("name"),
                    $"segment name '{name}' is not topic-safe: use only letters, digits, '.', '_' and '-'");
                name = null;
            }
            else
            {
                topic = ctx.MaskedTopicPattern.Replace(TopicNames.SegmentPlaceholder, name, StringComparison.Ordinal);
                if (topic.Length > TopicNames.MaxLength)
                {
                    bag.Add(nameNode!, reader.ChildPath("name"),
                        $"masked topic '{topic}' is longer than Kafka's {TopicNames.MaxLength} characters");
                    name = null;
                }
            }
        }

        var matchNode = reader.Require("match");
        var match = matchNode is null ? null : MatchParser.Parse(matchNode, reader.ChildPath("match"), bag);

        var segmentTags = new Dictionary<string, FieldAction>(StringComparer.Ordinal);
        var tagsOk = reader.Get("tags") is not { } tagsNode
            || TagActionsParser.Parse(tagsNode, reader.ChildPath("tags"), ctx, segmentTags);

        var explicitRules = new List<(FieldRule Rule, YNode KeyNode)>();
        var fieldsOk = reader.Get("fields") is not { } fieldsNode || ParseFields(fieldsNode, reader.ChildPath("fields"), ctx, explicitRules);

        var privacy = DpRules.Parse(reader, bag);
        var output = ParseOutput(reader, bag);
        var key = ParseKey(reader, bag);
        if (name is null || match is null || !tagsOk || !fieldsOk || privacy is null || output is null || key is null)
        {
            return (null, nameNode);
        }

        var rules = EffectiveRules.Build(name, reader, explicitRules, segmentTags, ctx);
        return rules is null ? (null, nameNode) : (new SegmentPolicy(index, name, topic!, match, rules, privacy) { Output = output.Value, Key = key, TagActions = segmentTags }, nameNode);
    }

    // key: none | input-key | { field: path }
    private static OutputKey? ParseKey(MappingReader reader, PolicyDiagnosticBag bag)
    {
        if (reader.Get("key") is not { } node)
        {
            return OutputKey.None;
        }

        var path = reader.ChildPath("key");
        if (node is YMapping mapping)
        {
            var keyReader = new MappingReader(mapping, path, bag, ["field"]);
            if (keyReader.Require("field") is not { } fieldNode || YamlValues.Text(fieldNode, keyReader.ChildPath("field"), bag) is not { } text)
            {
                return null;
            }

            if (!FieldPath.TryParse(text, out var field))
            {
                bag.Add(fieldNode, keyReader.ChildPath("field"), $"'{text}' is not a field path (dot-separated names)");
                return null;
            }

            return new OutputKey(OutputKeyKind.Field, field);
        }

        switch (YamlValues.Text(node, path, bag))
        {
            case "none":
                return OutputKey.None;
            case "input-key":
                return new OutputKey(OutputKeyKind.InputKey);
            case null:
                return null;
            default:
                bag.Add(node, path, "key must be 'none', 'input-key' or { field: <path> }");
                return null;
        }
    }

    private static OutputFormat? ParseOutput(MappingReader reader, PolicyDiagnosticBag bag)
    {
        if (reader.Get("output") is not { } node)
        {
            return OutputFormat.Json;
        }

        switch (YamlValues.Text(node, reader.ChildPath("output"), bag))
        {
            case "json":
                return OutputFormat.Json;
            case "avro":
                return OutputFormat.Avro;
            case null:
                return null;
            default:
                bag.Add(node, reader.ChildPath("output"), "output must be 'json' or 'avro'");
                return null;
        }
    }

    private static bool ParseFields(YNode node, string path, PolicyContext ctx, List<(FieldRule, YNode)> rules)
    {
        var mapping = YamlValues.Mapping(node, path, ctx.Bag);
        if (mapping is null)
        {
            return false;
        }

        var before = ctx.Bag.Count;
        var reader = new MappingReader(mapping, path, ctx.Bag, allowed: null);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            if (!seen.Add(key))
            {
                continue; // duplicate, reported by the reader
            }

            var entryPath = reader.ChildPath(key);
            if (!FieldPath.TryParse(key, out var fieldPath))
            {
                ctx.Bag.Add(entry.Key, entryPath, $"'{key}' is not a valid field path (dotted names, no empty parts)");
                continue;
            }

            var action = ActionParser.Parse(entry.Value, entryPath, ctx.Bag, ctx.Defaults);
            if (action is not null)
            {
                rules.Add((new FieldRule(fieldPath!, action, FieldRuleSource.Path, null), entry.Key));
            }
        }

        return ctx.Bag.Count == before;
    }
}

using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Yaml;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>Validates a whole policy document, collecting every error; builds a policy only when there are none.</summary>
internal static class PolicyParser
{
    public const string DefaultMaskedTopicPattern = "masked.{segment}";

    private static readonly string[] Keys = ["version", "maskedTopic", "defaults", "schema", "tags", "segments"];
    private static readonly string[] DefaultsKeys = ["nulls", "maskChar"];
    private static readonly string[] SchemaKeys = ["fields"];

    private const string PerSegment =
        "differential privacy is declared per segment: put privacyUnit, window, budget (with its accountant) and aggregates under a segment";

    private static readonly Dictionary<string, string> Misplaced = new(StringComparer.Ordinal)
    {
        ["accountant"] = PerSegment,
        ["budgets"] = PerSegment,
        ["budget"] = PerSegment,
        ["aggregates"] = PerSegment,
        ["window"] = PerSegment,
        ["privacyUnit"] = PerSegment,
    };

    public static PolicyLoadResult Parse(string yaml, string sourceName)
    {
        var bag = new PolicyDiagnosticBag(sourceName);
        var root = YamlTreeReader.Read(yaml, bag);
        if (root is null || bag.Count > 0)
        {
            return PolicyLoadResult.Failure(bag.ToList());
        }

        var policy = ParseRoot(root, sourceName, bag);
        return policy is not null && bag.Count == 0 ? PolicyLoadResult.Success(policy) : PolicyLoadResult.Failure(bag.ToList());
    }

    private static PrivacyPolicy? ParseRoot(YNode root, string sourceName, PolicyDiagnosticBag bag)
    {
        if (root is not YMapping mapping)
        {
            bag.Add(root, "", $"a policy must be a mapping with 'version' and 'segments', found {root.KindName}");
            return null;
        }

        var reader = new MappingReader(mapping, "", bag, Keys, Misplaced);
        var versionNode = reader.Require("version");
        var version = versionNode is null ? null : YamlValues.Text(versionNode, "version", bag);
        if (version is not null && version.Any(char.IsControl))
        {
            bag.Add(versionNode!, "version", "must not contain control characters");
        }

        var pattern = reader.Get("maskedTopic") is { } patternNode ? MaskedTopicPattern(patternNode, bag) : DefaultMaskedTopicPattern;
        var defaults = reader.Get("defaults") is { } defaultsNode ? Defaults(defaultsNode, bag) : PolicyDefaults.Standard;
        var schema = reader.Get("schema") is { } schemaNode ? Schema(schemaNode, bag) : [];
        var tagActions = new Dictionary<string, FieldAction>(StringComparer.Ordinal);
        if (reader.Get("tags") is { } tagsNode)
        {
            TagActionsParser.Parse(tagsNode, "tags", bag, defaults, tagActions);
        }

        var segmentsNode = reader.Require("segments");
        if (segmentsNode is null)
        {
            return null;
        }

        var ctx = new PolicyContext(bag, defaults, pattern ?? DefaultMaskedTopicPattern, schema, tagActions);
        var segments = Segments(segmentsNode, ctx);
        if (version is null || pattern is null || segments is null || bag.Count > 0)
        {
            return null;
        }

        var schemaTags = schema.ToDictionary(f => f.Path.Text, f => f.Tags, StringComparer.Ordinal);
        return new PrivacyPolicy(version, sourceName, pattern, defaults, schemaTags, tagActions, segments);
    }

    private static List<SegmentPolicy>? Segments(YNode node, PolicyContext ctx)
    {
        var list = YamlValues.Sequence(node, "segments", ctx.Bag);
        if (list is null)
        {
            return null;
        }

        if (list.Items.Count == 0)
        {
            ctx.Bag.Add(list, "segments", "at least one segment is required");
            return null;
        }

        var segments = new List<SegmentPolicy>();
        var byName = new Dictionary<string, (YNode Node, string Name)>(StringComparer.Ordinal);
        var byMatch = new Dictionary<string, (YNode Node, string Name)>(StringComparer.Ordinal);
        (YNode Node, string Name)? catchAll = null;
        for (var i = 0; i < list.Items.Count; i++)
        {
            var path = PolicyPath.Index("segments", i);
            var (segment, nameNode) = SegmentParser.Parse(list.Items[i], segments.Count, path, ctx);
            if (segment is null || nameNode is null)
            {
                continue;
            }

            var namePath = PolicyPath.Key(path, "name");
            if (byName.TryGetValue(TopicNames.CollisionKey(segment.Name), out var other))
            {
                ctx.Bag.Add(nameNode, namePath, other.Name == segment.Name
                    ? $"duplicate segment name '{segment.Name}' (first defined at line {other.Node.Line})"
                    : $"segment name '{segment.Name}' collides with '{other.Name}' (line {other.Node.Line}): Kafka treats '.' and '_' alike in metric names");
                continue;
            }

            byName[TopicNames.CollisionKey(segment.Name)] = (nameNode, segment.Name);
            var matchPath = PolicyPath.Key(path, "match");
            var matchKey = segment.Match.Describe();
            if (catchAll is { } all)
            {
                ctx.Bag.Add(nameNode, matchPath,
                    $"segment '{segment.Name}' is unreachable: segment '{all.Name}' (line {all.Node.Line}) matches every record and comes first");
            }
            else if (byMatch.TryGetValue(matchKey, out var same))
            {
                ctx.Bag.Add(nameNode, matchPath,
                    $"segment '{segment.Name}' is unreachable: segment '{same.Name}' (line {same.Node.Line}) has the same match rule and comes first");
            }

            byMatch.TryAdd(matchKey, (nameNode, segment.Name));
            if (matchKey == "always")
            {
                catchAll ??= (nameNode, segment.Name);
            }

            segments.Add(segment);
        }

        return segments.Count == list.Items.Count ? segments : null;
    }

    private static string? MaskedTopicPattern(YNode node, PolicyDiagnosticBag bag)
    {
        var pattern = YamlValues.Text(node, "maskedTopic", bag);
        if (pattern is null)
        {
            return null;
        }

        var first = pattern.IndexOf(TopicNames.SegmentPlaceholder, StringComparison.Ordinal);
        var rest = pattern.Replace(TopicNames.SegmentPlaceholder, "x", StringComparison.Ordinal);
        if (first < 0 || pattern.IndexOf(TopicNames.SegmentPlaceholder, first + 1, StringComparison.Ordinal) >= 0)
        {
            bag.Add(node, "maskedTopic", "must contain the placeholder {segment} exactly once (each segment needs its own topic)");
            return null;
        }

        if (!TopicNames.IsSafe(rest))
        {
            bag.Add(node, "maskedTopic", "must be a topic-safe name around {segment}: letters, digits, '.', '_' and '-' only");
            return null;
        }

        return pattern;
    }

    private static PolicyDefaults Defaults(YNode node, PolicyDiagnosticBag bag)
    {
        var mapping = YamlValues.Mapping(node, "defaults", bag);
        if (mapping is null)
        {
            return PolicyDefaults.Standard;
        }

        var reader = new MappingReader(mapping, "defaults", bag, DefaultsKeys);
        var nulls = reader.Get("nulls") is { } n ? YamlValues.OneOf(n, "defaults.nulls", bag, "keep", "drop") ?? 0 : 0;
        var maskChar = reader.Get("maskChar") is { } m
            ? YamlValues.SingleCharacter(m, "defaults.maskChar", bag) ?? PolicyDefaults.Standard.MaskChar
            : PolicyDefaults.Standard.MaskChar;
        return new PolicyDefaults(nulls == 0 ? NullHandling.Keep : NullHandling.Drop, maskChar);
    }

    private static List<SchemaField> Schema(YNode node, PolicyDiagnosticBag bag)
    {
        var result = new List<SchemaField>();
        var mapping = YamlValues.Mapping(node, "schema", bag);
        if (mapping is null)
        {
            return result;
        }

        var reader = new MappingReader(mapping, "schema", bag, SchemaKeys);
        if (reader.Get("fields") is not { } fieldsNode || YamlValues.Mapping(fieldsNode, "schema.fields", bag) is not { } fields)
        {
            return result;
        }

        var fieldsReader = new MappingReader(fields, "schema.fields", bag, allowed: null);
        foreach (var entry in fields.Entries)
        {
            if (fieldsReader.Get(entry.Key.Value) != entry.Value)
            {
                continue; // duplicate, reported by the reader
            }

            var path = fieldsReader.ChildPath(entry.Key.Value);
            if (!FieldPath.TryParse(entry.Key.Value, out var fieldPath))
            {
                bag.Add(entry.Key, path, $"'{entry.Key.Value}' is not a valid field path (dotted names, no empty parts)");
                continue;
            }

            if (YamlValues.Sequence(entry.Value, path, bag) is not { } tagList)
            {
                continue;
            }

            var tags = new List<string>();
            for (var i = 0; i < tagList.Items.Count; i++)
            {
                var tagPath = PolicyPath.Index(path, i);
                var tag = YamlValues.Text(tagList.Items[i], tagPath, bag);
                if (tag is not null && !TagActionsParser.IsValidTag(tag))
                {
                    bag.Add(tagList.Items[i], tagPath, $"'{tag}' is not a valid tag name (a letter, then letters, digits, '_' or '-')");
                }
                else if (tag is not null && !tags.Contains(tag))
                {
                    tags.Add(tag);
                }
            }

            result.Add(new SchemaField(fieldPath!, tags, entry.Value));
        }

        return result;
    }
}

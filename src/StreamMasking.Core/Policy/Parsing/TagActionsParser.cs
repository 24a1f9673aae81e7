using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Yaml;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>Parses a <c>tags</c> map (tag name → action), at policy or segment level.</summary>
internal static class TagActionsParser
{
    public static bool Parse(YNode node, string path, PolicyContext ctx, Dictionary<string, FieldAction> into) =>
        Parse(node, path, ctx.Bag, ctx.Defaults, into);

    public static bool Parse(YNode node, string path, PolicyDiagnosticBag bag, PolicyDefaults defaults, Dictionary<string, FieldAction> into)
    {
        var mapping = YamlValues.Mapping(node, path, bag);
        if (mapping is null)
        {
            return false;
        }

        var before = bag.Count;
        var reader = new MappingReader(mapping, path, bag, allowed: null);
        foreach (var entry in mapping.Entries)
        {
            var tag = entry.Key.Value;
            if (into.ContainsKey(tag) || reader.Get(tag) != entry.Value)
            {
                continue; // duplicate, reported by the reader
            }

            var entryPath = reader.ChildPath(tag);
            if (!IsValidTag(tag))
            {
                bag.Add(entry.Key, entryPath, $"'{tag}' is not a valid tag name (a letter, then letters, digits, '_' or '-')");
                continue;
            }

            var action = ActionParser.Parse(entry.Value, entryPath, bag, defaults);
            if (action is not null)
            {
                into[tag] = action;
            }
        }

        return bag.Count == before;
    }

    public static bool IsValidTag(string tag) =>
        tag.Length > 0 && char.IsAsciiLetter(tag[0]) && tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}

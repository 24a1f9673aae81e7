using StreamMasking.Core.Policy.Actions;
using StreamMasking.Core.Policy.Yaml;

namespace StreamMasking.Core.Policy.Parsing;

/// <summary>
/// Resolves a segment's effective field rules: explicit path rules, then schema-tagged fields whose tag has an action
/// (segment <c>tags</c> override policy <c>tags</c>; a path rule overrides any tag). Rejects ambiguity: tags on one field
/// that disagree, and a field ruled together with one of its ancestors (e.g. <c>patient: keep</c> would leak a tagged
/// <c>patient.ssn</c>).
/// </summary>
internal static class EffectiveRules
{
    public static IReadOnlyList<FieldRule>? Build(
        string segmentName,
        MappingReader segment,
        IReadOnlyList<(FieldRule Rule, YNode KeyNode)> explicitRules,
        IReadOnlyDictionary<string, FieldAction> segmentTags,
        PolicyContext ctx)
    {
        var bag = ctx.Bag;
        var before = bag.Count;
        var located = new List<(FieldRule Rule, YNode Node, string Path)>();
        foreach (var (rule, keyNode) in explicitRules)
        {
            located.Add((rule, keyNode, PolicyPath.Key(segment.ChildPath("fields"), rule.Path.Text)));
        }

        var named = new HashSet<FieldPath>(explicitRules.Select(r => r.Rule.Path));
        YNode anchorNode = (YNode?)segment.KeyNode("tags") ?? (YNode?)segment.KeyNode("name") ?? segment.Node;
        foreach (var field in ctx.Schema)
        {
            if (named.Contains(field.Path))
            {
                continue;
            }

            var actions = new List<(string Tag, FieldAction Action)>();
            foreach (var tag in field.Tags)
            {
                if (segmentTags.TryGetValue(tag, out var a) || ctx.TagActions.TryGetValue(tag, out a))
                {
                    actions.Add((tag, a));
                }
            }

            if (actions.Count == 0)
            {
                continue; // tagged, but no action for its tags: the field is unnamed, so dropped
            }

            var distinct = actions.Select(a => a.Action).Distinct().ToList();
            if (distinct.Count > 1)
            {
                bag.Add(anchorNode, segment.Path,
                    $"segment '{segmentName}': field '{field.Path}' has tags with different actions ("
                    + string.Join(", ", actions.Select(a => a.Tag + " → " + a.Action.Describe()))
                    + "); name the field in 'fields' to choose one");
                continue;
            }

            located.Add((new FieldRule(field.Path, actions[0].Action, FieldRuleSource.Tag, actions[0].Tag), field.Node,
                PolicyPath.Key("schema.fields", field.Path.Text)));
        }

        for (var i = 0; i < located.Count; i++)
        {
            for (var j = 0; j < located.Count; j++)
            {
                var (outer, outerNode, outerPath) = located[i];
                var (inner, innerNode, innerPath) = located[j];
                if (i == j || !outer.Path.IsAncestorOf(inner.Path))
                {
                    continue;
                }

                // Report where the fix belongs: the explicit rule of the pair (the later one if both are explicit).
                (YNode node, string path) = inner.Source == FieldRuleSource.Path && (outer.Source != FieldRuleSource.Path || j > i)
                    ? (innerNode, innerPath)
                    : outer.Source == FieldRuleSource.Path ? (outerNode, outerPath) : (anchorNode, segment.Path);
                bag.Add(node, path,
                    $"segment '{segmentName}': '{outer.Path}' ({Origin(outer)}) contains '{inner.Path}' ({Origin(inner)}); "
                    + "a field and one of its ancestors cannot both have actions");
            }
        }

        return bag.Count == before ? [.. located.Select(l => l.Rule)] : null;
    }

    private static string Origin(FieldRule rule) =>
        rule.Source == FieldRuleSource.Path ? rule.Action.Describe() : $"tag {rule.Tag}: {rule.Action.Describe()}";
}

using System.Text.Json;
using Avro;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Actions;

namespace StreamMasking.Core.Schemas;

/// <summary>
/// Adds to every segment the fields an Avro writer schema tags (<c>"confluent:tags": [...]</c> on a field, or on the
/// named type of a field: a record, enum or fixed, wherever it is used), with the action of the tag from the segment's
/// <c>tags</c>, else the policy's <c>tags</c>. The walk goes through nested records and nullable unions
/// (<c>["null", T]</c>) and gives each use of a reused named type its own path. Precedence is the policy's: a path
/// the segment already rules (by name or by a <c>schema.fields</c> tag) keeps its rule; a tag with no action leaves the
/// field unnamed, so dropped.
/// <para>
/// Fail closed where a path cannot say what happens: a tagged field below an array, a map or a union of several types
/// has no policy path; while nothing writes its container it is dropped with it, but a rule that would write the
/// container (<c>keep</c> of the array or of an ancestor) would let the tagged value out raw, so the segment refuses
/// the schema. So it does when tags of one field disagree, or when a tagged field and one of its ancestors or
/// descendants both have rules. Records of a refused (segment, schema) are dead-lettered.
/// </para>
/// </summary>
public static class SchemaTagRules
{
    /// <summary>The field and named-type property holding tags, as in Confluent's data contracts.</summary>
    public const string TagsProperty = "confluent:tags";

    /// <summary>A tagged place in a writer schema.</summary>
    /// <param name="Path">The field's dotted path from the top record.</param>
    /// <param name="Tags">Its tags (field tags, then those of its named type).</param>
    /// <param name="Container">When the field lies below an array, map or multi-type union, the path of the outermost one.</param>
    public sealed record TaggedField(string Path, IReadOnlyList<string> Tags, string? Container);

    /// <summary>Every tagged field of <paramref name="writer"/>, in schema order.</summary>
    public static IReadOnlyList<TaggedField> Find(RecordSchema writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var found = new List<TaggedField>();
        Walk(writer, "", null, [], found);
        return found;
    }

    /// <summary>
    /// <paramref name="policy"/> with the tag-selected fields of <paramref name="writer"/> added to each segment, and per
    /// segment name the reason it refuses the schema (<c>path: why</c>); a refusing segment keeps its rules unchanged
    /// in the result, and its records of this schema must not be published.
    /// </summary>
    public static (PrivacyPolicy Policy, IReadOnlyDictionary<string, string> Refused) Apply(PrivacyPolicy policy, RecordSchema writer)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var tagged = Find(writer);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        if (tagged.Count == 0)
        {
            return (policy, refused);
        }

        var segments = new List<SegmentPolicy>(policy.Segments.Count);
        foreach (var segment in policy.Segments)
        {
            var (fields, refusal) = Resolve(policy, segment, tagged);
            if (refusal is not null)
            {
                refused[segment.Name] = refusal;
            }

            segments.Add(fields is null ? segment : segment.WithFields(fields));
        }

        return (policy.WithSegments(segments), refused);
    }

    private static (List<FieldRule>? Fields, string? Refusal) Resolve(PrivacyPolicy policy, SegmentPolicy segment, IReadOnlyList<TaggedField> tagged)
    {
        var rules = segment.Fields.ToList();
        var added = false;
        foreach (var field in tagged)
        {
            var path = Path(field.Path);
            var actions = field.Tags.Distinct(StringComparer.Ordinal)
                .Select(t => (Tag: t, Action: segment.TagActions.TryGetValue(t, out var a) || policy.TagActions.TryGetValue(t, out a) ? a : null))
                .Where(t => t.Action is not null)
                .ToList();
            if (field.Container is { } container)
            {
                var containerPath = Path(container);
                if (rules.FirstOrDefault(r => r.Action is not DropAction && (r.Path.Equals(containerPath) || r.Path.IsAncestorOf(containerPath))) is { } writes)
                {
                    return (null, $"{field.Path}: tagged values inside '{container}', which '{writes.Path}' writes whole ({writes.Action.Name})");
                }

                continue; // unaddressable, and its container is not written: dropped with it
            }

            if (rules.Any(r => r.Path.Equals(path)))
            {
                continue; // ruled by name or by a policy schema.fields tag: that rule wins
            }

            if (actions.Count == 0)
            {
                continue; // no action for its tags: unnamed, so dropped
            }

            if (actions.Select(a => a.Action).Distinct().Count() > 1)
            {
                return (null, $"{field.Path}: tags with different actions ({string.Join(", ", actions.Select(a => a.Tag + " → " + a.Action!.Name))})");
            }

            if (rules.FirstOrDefault(r => r.Path.IsAncestorOf(path) || path.IsAncestorOf(r.Path)) is { } related)
            {
                if (related.Path.IsAncestorOf(path) && related.Action is DropAction)
                {
                    continue; // inside a dropped parent
                }

                return (null, $"{field.Path}: tagged {actions[0].Tag} and '{related.Path}' both have rules");
            }

            rules.Add(new FieldRule(path, actions[0].Action!, FieldRuleSource.Tag, actions[0].Tag));
            added = true;
        }

        return (added ? rules : null, null);
    }

    private static FieldPath Path(string text) =>
        FieldPath.TryParse(text, out var path) ? path! : throw new SchemaParseException("Field path '" + text + "' is not a policy path.");

    private static void Walk(RecordSchema record, string prefix, string? container, HashSet<string> stack, List<TaggedField> found)
    {
        if (!stack.Add(record.Fullname))
        {
            // A recursive reference: tags inside it lie at unboundedly many paths, so no path rule can reach them.
            if (HoldsTags(record, []))
            {
                found.Add(new TaggedField(prefix, [], container ?? prefix));
            }

            return;
        }

        foreach (var field in record.Fields)
        {
            var path = prefix.Length == 0 ? field.Name : prefix + "." + field.Name;
            var tags = Tags(field.GetProperty(TagsProperty)).Concat(TypeTags(field.Schema)).Distinct(StringComparer.Ordinal).ToList();
            if (tags.Count > 0)
            {
                found.Add(new TaggedField(path, tags, container));
            }

            WalkType(field.Schema, path, container, stack, found);
        }

        stack.Remove(record.Fullname);
    }

    private static void WalkType(Schema type, string path, string? container, HashSet<string> stack, List<TaggedField> found)
    {
        switch (type)
        {
            case RecordSchema child:
                Walk(child, path, container, stack, found);
                break;
            case ArraySchema array:
                WalkType(array.ItemSchema, path, container ?? path, stack, found);
                break;
            case MapSchema map:
                WalkType(map.ValueSchema, path, container ?? path, stack, found);
                break;
            case UnionSchema union:
                var branches = union.Schemas.Where(s => s.Tag != Schema.Type.Null).ToList();
                foreach (var branch in branches)
                {
                    WalkType(branch, path, branches.Count == 1 ? container : container ?? path, stack, found);
                }

                break;
        }
    }

    private static bool HoldsTags(Schema type, HashSet<string> seen) => type switch
    {
        RecordSchema r => seen.Add(r.Fullname)
            && (Tags(r.GetProperty(TagsProperty)).Any()
                || r.Fields.Any(f => Tags(f.GetProperty(TagsProperty)).Any() || HoldsTags(f.Schema, seen))),
        NamedSchema n => Tags(n.GetProperty(TagsProperty)).Any(),
        ArraySchema a => HoldsTags(a.ItemSchema, seen),
        MapSchema m => HoldsTags(m.ValueSchema, seen),
        UnionSchema u => u.Schemas.Any(s => HoldsTags(s, seen)),
        _ => false,
    };

    // Tags of the field's named type: the type itself, or the one non-null branch of a nullable union.
    private static IEnumerable<string> TypeTags(Schema type)
    {
        if (type is UnionSchema union && union.Schemas.Where(s => s.Tag != Schema.Type.Null).ToList() is [var only])
        {
            type = only;
        }

        return type is NamedSchema named ? Tags(named.GetProperty(TagsProperty)) : [];
    }

    private static IEnumerable<string> Tags(string? json)
    {
        if (json is null)
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array
            || document.RootElement.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            throw new SchemaParseException($"'{TagsProperty}' must be an array of strings.");
        }

        return [.. document.RootElement.EnumerateArray().Select(t => t.GetString()!)];
    }
}

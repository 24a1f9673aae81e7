using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Avro;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Actions;

namespace StreamMasking.Core.Schemas;

/// <summary>
/// Derives the Avro schema of a segment's masked records from (writer schema, segment field rules), following what
/// the masking engine writes: a field the policy does not name or drops is removed; <c>keep</c> keeps the writer
/// type; <c>tokenize</c>, <c>partial</c>, <c>generalize</c> by prefix or as a range become strings; a bucket's lower
/// bound stays numeric; a truncated date or timestamp keeps its (logical) type; Laplace/Gaussian noise gives a
/// double; randomized response gives an enum of the declared categories (a string when a category is not a valid
/// Avro name) or a boolean. Noised fields are optional (<c>["null", T]</c>, default null) because an over-cap event
/// carries none of them; a record all of whose fields are optional is optional too, because the engine leaves out an
/// empty object. The top record keeps the writer's name in the namespace
/// <c>io.streammasking.masked.&lt;segment&gt;</c> (see <see cref="NamespaceFor"/>); nested derived records keep
/// their writer name in the same namespace. Every field's doc string names the action that produced it.
/// </summary>
public static partial class MaskedSchemaDeriver
{
    /// <summary>The namespace all derived records live under, followed by the segment name.</summary>
    public const string NamespacePrefix = "io.streammasking.masked";

    /// <summary>Derives the masked schema of <paramref name="segment"/> for records written with <paramref name="writer"/>.</summary>
    /// <exception cref="SchemaParseException">A policy path goes through a part of the schema the engine cannot walk (an array, a map, a union of several types).</exception>
    public static MaskedSchema Derive(RecordSchema writer, SegmentPolicy segment, string policyVersion)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(segment);
        var state = new DeriveState(NamespaceFor(segment.Name));
        foreach (var rule in segment.Fields)
        {
            state.Missing.Add(rule.Path.Text);
        }

        var doc = string.Create(CultureInfo.InvariantCulture,
            $"Masked records of segment '{segment.Name}' (policy version {policyVersion}), derived from writer schema {writer.Fullname}. Fields the policy does not name are removed.");
        var root = DeriveRecord(writer, segment.Fields, depth: 0, prefix: "", doc, state);
        root.Remove("__optional");
        var json = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var schema = (RecordSchema)Schema.Parse(json);
        return new MaskedSchema(schema, json, [.. state.Unnamed], [.. state.Missing.Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// <c>io.streammasking.masked.</c> plus the segment name with every character outside <c>[A-Za-z0-9_.]</c>
    /// replaced by <c>_</c> and a <c>_</c> before any part that starts with a digit: <c>clinic-a.eu.visits</c> →
    /// <c>io.streammasking.masked.clinic_a.eu.visits</c>.
    /// </summary>
    public static string NamespaceFor(string segmentName)
    {
        ArgumentNullException.ThrowIfNull(segmentName);
        var parts = segmentName.Split('.').Select(part =>
        {
            var clean = NonNameCharacter().Replace(part, "_");
            return clean.Length == 0 || char.IsAsciiDigit(clean[0]) ? "_" + clean : clean;
        });
        return NamespacePrefix + "." + string.Join('.', parts);
    }

    private static JsonObject DeriveRecord(
        RecordSchema record, IReadOnlyList<FieldRule> rules, int depth, string prefix, string doc, DeriveState state)
    {
        var fields = new JsonArray();
        var allOptional = true;
        foreach (var field in record.Fields)
        {
            var path = prefix.Length == 0 ? field.Name : prefix + "." + field.Name;
            var below = rules.Where(r => r.Path.Segments.Count > depth
                && string.Equals(r.Path.Segments[depth], field.Name, StringComparison.Ordinal)).ToList();
            if (below.Count == 0)
            {
                state.Unnamed.Add(path);
                continue;
            }

            var leaf = below.FirstOrDefault(r => r.Path.Segments.Count == depth + 1);
            var (type, nullable) = SplitNullable(field.Schema);
            JsonNode? outputType;
            bool optional;
            string fieldDoc;
            if (leaf is not null)
            {
                state.Missing.Remove(leaf.Path.Text);
                if (leaf.Action is DropAction)
                {
                    continue;
                }

                outputType = LeafType(leaf, type, field.Name, state);
                optional = nullable || leaf.Action is NoiseFieldAction;
                fieldDoc = leaf.Action.Describe() + (leaf.Tag is { } tag ? " (from tag " + tag + ")" : "");
            }
            else
            {
                if (type is not RecordSchema child)
                {
                    throw new SchemaParseException($"Policy paths under '{path}' go through a {type.Tag} schema; only records can hold named fields.");
                }

                var childDoc = "Masked " + child.Fullname + ".";
                var derived = DeriveRecord(child, below, depth + 1, path, childDoc, state);
                if (derived["fields"]!.AsArray().Count == 0)
                {
                    continue; // every named child is dropped: the engine never writes the object
                }

                derived["name"] = state.RecordName(child.Name, path);
                outputType = derived;
                optional = nullable || derived["__optional"]!.GetValue<bool>();
                derived.Remove("__optional");
                fieldDoc = childDoc;
            }

            allOptional &= optional;
            var output = new JsonObject { ["name"] = field.Name };
            if (optional)
            {
                output["type"] = new JsonArray(JsonValue.Create("null"), outputType);
                output["default"] = null;
            }
            else
            {
                output["type"] = outputType;
            }

            output["doc"] = fieldDoc;
            fields.Add(output);
        }

        return new JsonObject
        {
            ["type"] = "record",
            ["name"] = record.Name,
            ["namespace"] = state.Namespace,
            ["doc"] = doc,
            ["fields"] = fields,
            ["__optional"] = allOptional,
        };
    }

    private static JsonNode LeafType(FieldRule rule, Schema writer, string fieldName, DeriveState state) => rule.Action switch
    {
        KeepAction => state.Copy(writer),
        GeneralizeDateAction => state.Copy(writer),
        GeneralizeBucketAction { Output: BucketOutput.Lower } b =>
            writer.Tag is Schema.Type.Int or Schema.Type.Long && decimal.IsInteger(b.Width) ? state.Copy(writer) : "double",
        RandomizedResponseAction { Categories: null } => "boolean",
        RandomizedResponseAction { Categories: { } categories } => CategoryType(categories, fieldName, state),
        NoiseFieldAction => "double",
        _ => "string", // tokenize, partial, generalize by prefix or as a range
    };

    private static JsonNode CategoryType(IReadOnlyList<string> categories, string fieldName, DeriveState state)
    {
        if (!categories.All(c => AvroName().IsMatch(c)))
        {
            return "string";
        }

        var name = state.RecordName(char.ToUpperInvariant(fieldName[0]) + fieldName[1..] + "Category", fieldName);
        return new JsonObject
        {
            ["type"] = "enum",
            ["name"] = name,
            ["namespace"] = state.Namespace,
            ["doc"] = "Declared categories of randomized response.",
            ["symbols"] = new JsonArray([.. categories.Select(c => JsonValue.Create(c))]),
        };
    }

    private static (Schema Type, bool Nullable) SplitNullable(Schema schema)
    {
        if (schema is UnionSchema union)
        {
            var others = union.Schemas.Where(s => s.Tag != Schema.Type.Null).ToList();
            if (others.Count == 1)
            {
                return (others[0], others.Count != union.Schemas.Count);
            }
        }

        return (schema, false);
    }

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex NonNameCharacter();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex AvroName();

    private sealed class DeriveState(string ns)
    {
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public string Namespace { get; } = ns;

        public List<string> Unnamed { get; } = [];

        public HashSet<string> Missing { get; } = new(StringComparer.Ordinal);

        /// <summary>The writer's name, or (when already used in this schema) the name followed by the path.</summary>
        public string RecordName(string name, string path)
        {
            if (_names.Add(name))
            {
                return name;
            }

            var unique = new StringBuilder(name);
            foreach (var part in path.Split('.'))
            {
                unique.Append('_').Append(NonNameCharacter().Replace(part, "_"));
            }

            _names.Add(unique.ToString());
            return unique.ToString();
        }

        /// <summary>The writer type unchanged; a named type already written is referred to by its full name.</summary>
        public JsonNode Copy(Schema writer)
        {
            if (writer is NamedSchema named && !_names.Add(named.Fullname))
            {
                return named.Fullname;
            }

            var copy = JsonNode.Parse(writer.ToString())!;
            return copy is JsonObject { Count: 1 } only && only["type"] is JsonValue primitive
                ? primitive.GetValue<string>() // {"type":"string"} is written "string"
                : copy;
        }
    }
}

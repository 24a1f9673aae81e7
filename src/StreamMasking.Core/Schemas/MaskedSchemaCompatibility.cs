using System.Text.Json;
using Avro;

namespace StreamMasking.Core.Schemas;

/// <summary>
/// Whether a reader schema (a segment's new masked schema) can read every record written with a writer schema (its
/// previous masked schema) under Avro schema resolution: the check a schema registry makes before it accepts a new
/// version of a subject with BACKWARD compatibility, and refuses (409) when it fails, which makes the service
/// dead-letter the segment's records. Pure: no registry, no I/O.
/// <para>
/// The rules are those of the Avro specification ("Schema Resolution"), as the registry applies them:
/// a writer type is read by the same reader type or by a promotion (int → long, float, double; long → float, double;
/// float → double; string ↔ bytes); logical types are resolved as their underlying type. Record fields are matched
/// by name, then by the reader field's aliases; a reader field the writer lacks needs a default; a writer field the
/// reader lacks is skipped. An enum reader needs every writer symbol unless it has a default. Every branch of a writer
/// union must be read by the reader (by some branch, when the reader is a union too); a reader union reads a
/// non-union writer when any of its branches does. Named types (record, enum, fixed) need the same unqualified name,
/// or the writer's full name among the reader's aliases; fixed types the same size. Arrays resolve by items, maps by values.
/// </para>
/// <para>
/// Apache.Avro's <see cref="Schema.CanRead"/> gives the same verdict except where it is more lenient than the
/// specification (a primitive or union reader accepts any writer union, so an optional field made
/// required passes; enum symbols are not compared) or stricter (no string ↔ bytes
/// promotion; named types compared by full name; a logical type never reads its plain underlying type).
/// </para>
/// </summary>
public static class MaskedSchemaCompatibility
{
    /// <summary>The path of a break in the top record itself (its name).</summary>
    public const string RootPath = "(record)";

    /// <summary>Every break that stops <paramref name="reader"/> reading data written with <paramref name="writer"/>, in schema order; empty when it can.</summary>
    public static IReadOnlyList<SchemaBreak> Check(Schema reader, Schema writer)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        var breaks = new List<SchemaBreak>();
        Resolve(reader, writer, "", breaks, new HashSet<(string, string)>());
        return [.. breaks.Distinct()];
    }

    /// <summary>True when <paramref name="reader"/> can read every record written with <paramref name="writer"/>.</summary>
    public static bool CanRead(Schema reader, Schema writer) => Check(reader, writer).Count == 0;

    private static void Resolve(Schema reader, Schema writer, string path, List<SchemaBreak> breaks, HashSet<(string, string)> visiting)
    {
        reader = Underlying(reader);
        writer = Underlying(writer);
        if (writer is UnionSchema writerUnion)
        {
            // Data carries one writer branch at a time: each must be readable on its own.
            foreach (var branch in writerUnion.Schemas)
            {
                var found = BranchBreaks(reader, branch, path, visiting);
                if (found is null)
                {
                    breaks.Add(new SchemaBreak(At(path), $"was {Describe(writer)}, now {Describe(reader)}"));
                }
                else
                {
                    breaks.AddRange(found);
                }
            }

            return;
        }

        if (reader is UnionSchema)
        {
            var found = BranchBreaks(reader, writer, path, visiting);
            breaks.AddRange(found ?? [new SchemaBreak(At(path), $"was {Describe(writer)}, now {Describe(reader)}")]);
            return;
        }

        if (!SameKind(reader, writer))
        {
            breaks.Add(new SchemaBreak(At(path), $"was {Describe(writer)}, now {Describe(reader)}"));
            return;
        }

        switch (reader)
        {
            case RecordSchema r:
                ResolveRecord(r, (RecordSchema)writer, path, breaks, visiting);
                break;
            case EnumSchema e:
                var lost = ((EnumSchema)writer).Symbols.Where(s => !e.Symbols.Contains(s)).ToList();
                if (lost.Count > 0 && e.Default is null)
                {
                    breaks.Add(new SchemaBreak(At(path), $"enum {e.Name} lost symbol(s) {string.Join(", ", lost)} and has no default"));
                }

                break;
            case ArraySchema a:
                Resolve(a.ItemSchema, ((ArraySchema)writer).ItemSchema, path + "[]", breaks, visiting);
                break;
            case MapSchema m:
                Resolve(m.ValueSchema, ((MapSchema)writer).ValueSchema, path + "{}", breaks, visiting);
                break;
        }
    }

    /// <summary>
    /// Breaks of reading the non-union <paramref name="writer"/> with <paramref name="reader"/> (a union: the first
    /// branch that reads it cleanly, else the deep breaks of the first branch of the same kind); null when no branch
    /// is even of a kind that could read it.
    /// </summary>
    private static List<SchemaBreak>? BranchBreaks(Schema reader, Schema writer, string path, HashSet<(string, string)> visiting)
    {
        writer = Underlying(writer);
        var branches = reader is UnionSchema union ? union.Schemas.Select(Underlying).ToList() : [reader];
        List<SchemaBreak>? first = null;
        foreach (var branch in branches.Where(b => SameKind(b, writer)))
        {
            var found = new List<SchemaBreak>();
            Resolve(branch, writer, path, found, visiting);
            if (found.Count == 0)
            {
                return found;
            }

            first ??= found;
        }

        return first;
    }

    private static void ResolveRecord(RecordSchema reader, RecordSchema writer, string path, List<SchemaBreak> breaks, HashSet<(string, string)> visiting)
    {
        // A recursive record meets itself again: the pair is being checked further up, so assume it resolves here.
        if (!visiting.Add((reader.Fullname, writer.Fullname)))
        {
            return;
        }

        foreach (var field in reader.Fields)
        {
            var fieldPath = path.Length == 0 ? field.Name : path + "." + field.Name;
            var source = WriterField(writer, field);
            if (source is null)
            {
                if (field.DefaultValue is null)
                {
                    breaks.Add(new SchemaBreak(fieldPath, $"new field ({Describe(field.Schema)}) without a default"));
                }

                continue;
            }

            Resolve(field.Schema, source.Schema, fieldPath, breaks, visiting);
        }

        visiting.Remove((reader.Fullname, writer.Fullname));
    }

    private static Field? WriterField(RecordSchema writer, Field field)
    {
        if (writer.TryGetField(field.Name, out var byName))
        {
            return byName;
        }

        foreach (var alias in field.Aliases ?? [])
        {
            if (writer.TryGetField(alias, out var byAlias))
            {
                return byAlias;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a reader type could read a writer type at this level (the specification's "match"): same primitive
    /// or a promotion, same named type by name (and size), array with array, map with map. Neither may be a union.
    /// </summary>
    private static bool SameKind(Schema reader, Schema writer)
    {
        if (reader is UnionSchema || writer is UnionSchema)
        {
            return false;
        }

        return (reader, writer) switch
        {
            (RecordSchema r, RecordSchema w) => SameName(r, w),
            (EnumSchema r, EnumSchema w) => SameName(r, w),
            (FixedSchema r, FixedSchema w) => SameName(r, w) && r.Size == w.Size,
            (ArraySchema, ArraySchema) => true,
            (MapSchema, MapSchema) => true,
            (PrimitiveSchema r, PrimitiveSchema w) => r.Tag == w.Tag || Promotes(w.Tag, r.Tag),
            _ => false,
        };
    }

    private static bool Promotes(Schema.Type from, Schema.Type to) => (from, to) switch
    {
        (Schema.Type.Int, Schema.Type.Long or Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Long, Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Float, Schema.Type.Double) => true,
        (Schema.Type.String, Schema.Type.Bytes) or (Schema.Type.Bytes, Schema.Type.String) => true,
        _ => false,
    };

    private static bool SameName(NamedSchema reader, NamedSchema writer) =>
        string.Equals(reader.Name, writer.Name, StringComparison.Ordinal)
        || Aliases(reader).Any(a => string.Equals(a, writer.Fullname, StringComparison.Ordinal));

    // Apache.Avro keeps a named type's aliases private; its JSON form writes them.
    private static IEnumerable<string> Aliases(NamedSchema schema)
    {
        using var json = JsonDocument.Parse(schema.ToString());
        if (!json.RootElement.TryGetProperty("aliases", out var aliases) || aliases.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        // An alias without a dot is in the type's namespace.
        return [.. aliases.EnumerateArray()
            .Select(a => a.GetString() ?? "")
            .Select(a => a.Contains('.', StringComparison.Ordinal) || string.IsNullOrEmpty(schema.Namespace) ? a : schema.Namespace + "." + a)];
    }

    // Logical types are read as their underlying type.
    private static Schema Underlying(Schema schema) => schema is LogicalSchema logical ? logical.BaseSchema : schema;

    private static string At(string path) => path.Length == 0 ? RootPath : path;

    /// <summary>A type in plain words: <c>double</c>, <c>null or string</c>, <c>record Patient</c>, <c>array of string</c>.</summary>
    internal static string Describe(Schema schema) => schema switch
    {
        LogicalSchema l => Describe(l.BaseSchema) + " (" + l.LogicalTypeName + ")",
        UnionSchema u => string.Join(" or ", u.Schemas.Select(Describe)),
        RecordSchema r => "record " + r.Name,
        EnumSchema e => "enum " + e.Name,
        FixedSchema f => $"fixed {f.Name} of {f.Size} bytes",
        ArraySchema a => "array of " + Describe(a.ItemSchema),
        MapSchema m => "map of " + Describe(m.ValueSchema),
        _ => schema.Tag.ToString().ToLowerInvariant(),
    };
}

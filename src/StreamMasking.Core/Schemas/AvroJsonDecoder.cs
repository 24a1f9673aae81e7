using System.Text.Json.Nodes;
using Avro;

namespace StreamMasking.Core.Schemas;

/// <summary>
/// Decodes an Avro binary record (without framing) into the JSON object model routing and masking read, under the
/// writer's schema. Unions become the chosen branch's value (no branch wrapper), enums their symbol, bytes and fixed
/// base64, maps objects; logical types become the text the masking actions read: <c>date</c> →
/// <c>yyyy-MM-dd</c>, <c>timestamp-millis</c>/<c>-micros</c> → ISO-8601 UTC, <c>time-*</c> → <c>HH:mm:ss.fff</c>,
/// <c>decimal</c> → its decimal text. Every length is checked against the bytes left, nesting is limited to
/// <see cref="MaxDepth"/> and the items of all arrays and maps to <see cref="MaxItems"/>, and trailing bytes are
/// an error: a hostile or corrupt record fails with <see cref="AvroDataException"/>, never with a crash or a huge
/// allocation.
/// </summary>
public static class AvroJsonDecoder
{
    /// <summary>Deepest nesting of records, arrays, maps and unions accepted (as for JSON input).</summary>
    public const int MaxDepth = 64;

    /// <summary>Most array and map items one record may hold in total.</summary>
    public const int MaxItems = 1_000_000;

    /// <summary>Decodes <paramref name="body"/>; the writer schema must be a record.</summary>
    /// <exception cref="AvroDataException">The bytes do not decode under <paramref name="writer"/>.</exception>
    public static JsonObject Decode(Schema writer, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (writer is not RecordSchema)
        {
            throw new AvroDataException(AvroDataProblem.SchemaMismatch, "", "the writer schema is not a record");
        }

        var reader = new AvroBinaryReader(body);
        var state = new DecodeState();
        var result = (JsonObject)Read(ref reader, writer, "", 0, state)!;
        if (reader.Remaining != 0)
        {
            throw new AvroDataException(AvroDataProblem.Corrupt, "", "bytes left after the record");
        }

        return result;
    }

    private sealed class DecodeState
    {
        public long Items;
    }

    private static JsonNode? Read(ref AvroBinaryReader reader, Schema schema, string path, int depth, DecodeState state)
    {
        if (depth > MaxDepth)
        {
            throw new AvroDataException(AvroDataProblem.Corrupt, path, "nesting deeper than " + MaxDepth);
        }

        switch (schema.Tag)
        {
            case Schema.Type.Null:
                return null;
            case Schema.Type.Boolean:
                return JsonValue.Create(reader.ReadBoolean(path));
            case Schema.Type.Int:
                return JsonValue.Create(reader.ReadInt(path));
            case Schema.Type.Long:
                return JsonValue.Create(reader.ReadLong(path));
            case Schema.Type.Float:
                return Finite(reader.ReadFloat(path), path);
            case Schema.Type.Double:
                return Finite(reader.ReadDouble(path), path);
            case Schema.Type.String:
                return JsonValue.Create(reader.ReadString(path));
            case Schema.Type.Bytes:
                return JsonValue.Create(Convert.ToBase64String(reader.ReadBytes(path)));
            case Schema.Type.Fixed:
                return JsonValue.Create(Convert.ToBase64String(reader.ReadRaw(((FixedSchema)schema).Size, path)));
            case Schema.Type.Enumeration:
                var symbols = ((EnumSchema)schema).Symbols;
                var index = reader.ReadInt(path);
                return index >= 0 && index < symbols.Count
                    ? JsonValue.Create(symbols[index])
                    : throw new AvroDataException(AvroDataProblem.Corrupt, path, "enum index out of range");
            case Schema.Type.Union:
                var branches = ((UnionSchema)schema).Schemas;
                var branch = reader.ReadInt(path);
                return branch >= 0 && branch < branches.Count
                    ? Read(ref reader, branches[branch], path, depth + 1, state)
                    : throw new AvroDataException(AvroDataProblem.Corrupt, path, "union branch out of range");
            case Schema.Type.Record:
            case Schema.Type.Error:
                var record = new JsonObject();
                foreach (var field in ((RecordSchema)schema).Fields)
                {
                    record[field.Name] = Read(ref reader, field.Schema, Child(path, field.Name), depth + 1, state);
                }

                return record;
            case Schema.Type.Array:
                return ReadArray(ref reader, ((ArraySchema)schema).ItemSchema, path, depth, state);
            case Schema.Type.Map:
                return ReadMap(ref reader, ((MapSchema)schema).ValueSchema, path, depth, state);
            case Schema.Type.Logical:
                return AvroLogicalValues.Read(ref reader, (LogicalSchema)schema, path);
            default:
                throw new AvroDataException(AvroDataProblem.SchemaMismatch, path, $"unsupported schema type {schema.Tag}");
        }
    }

    private static JsonArray ReadArray(ref AvroBinaryReader reader, Schema items, string path, int depth, DecodeState state)
    {
        var array = new JsonArray();
        for (var count = reader.ReadBlockCount(path); count != 0; count = reader.ReadBlockCount(path))
        {
            Reserve(count, reader.Remaining, IsZeroWidth(items, []), path, state);
            for (long i = 0; i < count; i++)
            {
                array.Add(Read(ref reader, items, path, depth + 1, state));
            }
        }

        return array;
    }

    private static JsonObject ReadMap(ref AvroBinaryReader reader, Schema values, string path, int depth, DecodeState state)
    {
        var map = new JsonObject();
        for (var count = reader.ReadBlockCount(path); count != 0; count = reader.ReadBlockCount(path))
        {
            Reserve(count, reader.Remaining, zeroWidth: false, path, state);
            for (long i = 0; i < count; i++)
            {
                var key = reader.ReadString(path);
                if (map.ContainsKey(key))
                {
                    throw new AvroDataException(AvroDataProblem.Corrupt, path, "duplicate map key");
                }

                map[key] = Read(ref reader, values, Child(path, key), depth + 1, state);
            }
        }

        return map;
    }

    // A block that claims more items than the record could hold fails before any item is read.
    private static void Reserve(long count, int remaining, bool zeroWidth, string path, DecodeState state)
    {
        state.Items += count;
        if (state.Items > MaxItems || (count > remaining && !zeroWidth))
        {
            throw new AvroDataException(AvroDataProblem.Corrupt, path, "array or map block count out of range");
        }
    }

    // Items that take no bytes (null, records of such): the only ones a block may hold more of than bytes are left.
    private static bool IsZeroWidth(Schema schema, HashSet<Schema> visiting) => schema switch
    {
        { Tag: Schema.Type.Null } => true,
        FixedSchema f => f.Size == 0,
        RecordSchema r => visiting.Add(r) && r.Fields.All(f => IsZeroWidth(f.Schema, visiting)),
        _ => false,
    };

    private static JsonValue Finite(double value, string path) => double.IsFinite(value)
        ? JsonValue.Create(value)
        : throw new AvroDataException(AvroDataProblem.SchemaMismatch, path, "NaN or infinity has no JSON form");

    internal static string Child(string path, string name) => path.Length == 0 ? name : path + "." + name;
}

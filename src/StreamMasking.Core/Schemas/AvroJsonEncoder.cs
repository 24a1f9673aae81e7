using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;

namespace StreamMasking.Core.Schemas;

/// <summary>
/// Converts a JSON object (the masked output, a release, a dead letter) into an Apache.Avro generic datum
/// (<see cref="GenericRecord"/> and friends) under a schema — the inverse of <see cref="AvroJsonDecoder"/>. Strict:
/// a property the schema lacks, a required field missing or a value of the wrong type is an
/// <see cref="AvroDataException"/>, so nothing the schema does not describe can be written. A field left out of the
/// JSON takes null when its type admits null, else its default. Unions take the first branch the value fits.
/// </summary>
public static class AvroJsonEncoder
{
    /// <summary>Converts <paramref name="json"/> to a record of <paramref name="schema"/>.</summary>
    /// <exception cref="AvroDataException">The value does not fit the schema.</exception>
    public static GenericRecord ToRecord(RecordSchema schema, JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(json);
        return (GenericRecord)Convert(schema, json, "", 0)!;
    }

    private static object? Convert(Schema schema, JsonNode? node, string path, int depth)
    {
        if (depth > AvroJsonDecoder.MaxDepth)
        {
            throw Mismatch(path, "nesting too deep");
        }

        if (schema.Tag == Schema.Type.Union)
        {
            return Union((UnionSchema)schema, node, path, depth);
        }

        if (node is null)
        {
            return schema.Tag == Schema.Type.Null ? null : throw Mismatch(path, $"null where the schema wants {Describe(schema)}");
        }

        switch (schema.Tag)
        {
            case Schema.Type.Boolean:
                return node is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                    ? b.GetValueKind() == JsonValueKind.True
                    : throw Mismatch(path, "not a boolean");
            case Schema.Type.Int:
                return Number(node, path).TryGetInt32(out var i) ? i : throw Mismatch(path, "not an int");
            case Schema.Type.Long:
                return Number(node, path).TryGetInt64(out var l) ? l : throw Mismatch(path, "not a long");
            case Schema.Type.Float:
                return (float)Number(node, path).GetDouble();
            case Schema.Type.Double:
                return Number(node, path).GetDouble();
            case Schema.Type.String:
                return Text(node, path);
            case Schema.Type.Bytes:
                return Base64(node, path);
            case Schema.Type.Fixed:
                var fixedSchema = (FixedSchema)schema;
                var bytes = Base64(node, path);
                return bytes.Length == fixedSchema.Size ? new GenericFixed(fixedSchema, bytes) : throw Mismatch(path, "wrong fixed size");
            case Schema.Type.Enumeration:
                var enumSchema = (EnumSchema)schema;
                var symbol = Text(node, path);
                return enumSchema.Contains(symbol) ? new GenericEnum(enumSchema, symbol) : throw Mismatch(path, "not a symbol of the enum");
            case Schema.Type.Record:
            case Schema.Type.Error:
                return Record((RecordSchema)schema, node, path, depth);
            case Schema.Type.Array:
                var items = ((ArraySchema)schema).ItemSchema;
                return node is JsonArray array
                    ? array.Select(item => Convert(items, item, path, depth + 1)).ToArray()
                    : throw Mismatch(path, "not an array");
            case Schema.Type.Map:
                var values = ((MapSchema)schema).ValueSchema;
                return node is JsonObject map
                    ? map.ToDictionary(p => p.Key, p => Convert(values, p.Value, AvroJsonDecoder.Child(path, p.Key), depth + 1), StringComparer.Ordinal)
                    : throw Mismatch(path, "not an object (map)");
            case Schema.Type.Logical:
                return Logical((LogicalSchema)schema, node, path, depth);
            default:
                throw Mismatch(path, $"{Describe(schema)} where the value is not null");
        }
    }

    private static GenericRecord Record(RecordSchema schema, JsonNode node, string path, int depth)
    {
        if (node is not JsonObject json)
        {
            throw Mismatch(path, $"not an object where the schema wants record {schema.Name}");
        }

        foreach (var (name, _) in json)
        {
            if (!schema.Contains(name))
            {
                throw Mismatch(AvroJsonDecoder.Child(path, name), $"field not in record {schema.Name}");
            }
        }

        var record = new GenericRecord(schema);
        foreach (var field in schema.Fields)
        {
            var fieldPath = AvroJsonDecoder.Child(path, field.Name);
            if (json.TryGetPropertyValue(field.Name, out var value))
            {
                record.Add(field.Name, Convert(field.Schema, value, fieldPath, depth + 1));
            }
            else if (AdmitsNull(field.Schema))
            {
                record.Add(field.Name, null);
            }
            else if (field.DefaultValue is { } defaultValue)
            {
                record.Add(field.Name, Convert(field.Schema, JsonNode.Parse(defaultValue.ToString(Newtonsoft.Json.Formatting.None)), fieldPath, depth + 1));
            }
            else
            {
                throw Mismatch(fieldPath, "required field missing");
            }
        }

        return record;
    }

    private static object? Union(UnionSchema union, JsonNode? node, string path, int depth)
    {
        if (node is null)
        {
            return AdmitsNull(union) ? null : throw Mismatch(path, "null where the union has no null branch");
        }

        foreach (var branch in union.Schemas)
        {
            if (branch.Tag == Schema.Type.Null)
            {
                continue;
            }

            try
            {
                return Convert(branch, node, path, depth + 1);
            }
            catch (AvroDataException)
            {
                // Try the next branch.
            }
        }

        throw Mismatch(path, "the value fits no branch of the union");
    }

    private static object Logical(LogicalSchema schema, JsonNode node, string path, int depth)
    {
        switch (schema.LogicalTypeName)
        {
            case "date":
                return AvroLogicalValues.TryParseDate(Text(node, path), out var days)
                    ? DateTime.UnixEpoch.AddDays(days)
                    : throw Mismatch(path, "not a yyyy-MM-dd date");
            case "timestamp-millis":
            case "timestamp-micros":
                return AvroLogicalValues.TryParseInstant(Text(node, path), out var ticks)
                    ? DateTime.UnixEpoch.AddTicks(ticks)
                    : throw Mismatch(path, "not an ISO-8601 instant");
            case "time-millis":
            case "time-micros":
                return TimeSpan.TryParseExact(Text(node, path), @"hh\:mm\:ss\.FFFFFFF", CultureInfo.InvariantCulture, out var time)
                    ? time
                    : throw Mismatch(path, "not a HH:mm:ss.fff time");
            case "decimal":
                return decimal.TryParse(Text(node, path), NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
                    ? new AvroDecimal(Math.Round(number, AvroLogicalValues.Scale(schema)))
                    : throw Mismatch(path, "not a decimal number");
            case "uuid":
                return Guid.TryParse(Text(node, path), out var guid) ? guid : throw Mismatch(path, "not a UUID");
            default:
                return Convert(schema.BaseSchema, node, path, depth)!;
        }
    }

    internal static bool AdmitsNull(Schema schema) =>
        schema.Tag == Schema.Type.Null || (schema is UnionSchema u && u.Schemas.Any(s => s.Tag == Schema.Type.Null));

    private static JsonElement Number(JsonNode node, string path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? v.TryGetValue<JsonElement>(out var element) ? element : JsonSerializer.SerializeToElement(v)
            : throw Mismatch(path, "not a number");

    private static string Text(JsonNode node, string path) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Mismatch(path, "not a string");

    private static byte[] Base64(JsonNode node, string path)
    {
        try
        {
            return System.Convert.FromBase64String(Text(node, path));
        }
        catch (FormatException)
        {
            throw Mismatch(path, "not base64");
        }
    }

    private static string Describe(Schema schema) => schema.Tag.ToString().ToLowerInvariant();

    private static AvroDataException Mismatch(string path, string message) => new(AvroDataProblem.SchemaMismatch, path, message);
}

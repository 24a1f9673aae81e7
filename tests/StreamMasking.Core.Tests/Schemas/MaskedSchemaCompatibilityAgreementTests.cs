using Avro;
using StreamMasking.Core.Schemas;

namespace StreamMasking.Core.Tests.Schemas;

/// <summary>
/// <see cref="MaskedSchemaCompatibility"/> and Apache.Avro's <see cref="Schema.CanRead"/> on many generated
/// (reader, writer) record pairs, within the part of Avro where Apache.Avro follows the specification: no writer
/// unions, enums, bytes or logical types (see the remarks of <see cref="MaskedSchemaCompatibility"/>).
/// </summary>
public sealed class MaskedSchemaCompatibilityAgreementTests
{
    private static readonly string[] Primitives = ["int", "long", "float", "double", "string", "boolean"];
    private static readonly string[] FieldNames = ["a", "b", "c", "d"];

    [Fact]
    public void Check_GeneratedPairs_AgreeWithApacheAvroCanRead()
    {
        var random = new Random(20261204); // fixed seed: the same pairs on every run
        var (agreedCompatible, agreedIncompatible) = (0, 0);
        for (var i = 0; i < 3000; i++)
        {
            var writerFields = Fields(random, depth: 0, unions: false);
            var readerFields = random.Next(2) == 0 ? Mutate(random, writerFields, depth: 0) : Fields(random, depth: 0, unions: true);
            var (reader, writer) = (Top(readerFields), Top(writerFields));

            var ours = MaskedSchemaCompatibility.CanRead(reader, writer);
            ours.ShouldBe(reader.CanRead(writer), $"reader {reader}\nwriter {writer}\nbreaks: {string.Join("; ", MaskedSchemaCompatibility.Check(reader, writer))}");
            _ = ours ? agreedCompatible++ : agreedIncompatible++;
        }

        // Both verdicts occur often enough for the agreement to mean something.
        agreedCompatible.ShouldBeGreaterThan(300);
        agreedIncompatible.ShouldBeGreaterThan(300);
    }

    private static List<(string Name, string Type, string? Default)> Fields(Random random, int depth, bool unions)
    {
        var fields = new List<(string, string, string?)>();
        foreach (var name in FieldNames.Where(_ => random.Next(3) > 0))
        {
            var type = Type(random, name, depth, unions);
            fields.Add((name, type, random.Next(3) == 0 ? Default(type) : null));
        }

        return fields;
    }

    // A nested record is named after its field (renamed now and then), so names stay unique within a schema.
    private static string Type(Random random, string field, int depth, bool unions) => random.Next(depth < 1 ? 10 : 8) switch
    {
        < 5 => Quote(Primitives[random.Next(Primitives.Length)]),
        5 when unions => "[\"null\", " + Quote(Primitives[random.Next(Primitives.Length)]) + "]",
        5 or 6 => "{\"type\": \"array\", \"items\": " + Quote(Primitives[random.Next(Primitives.Length)]) + "}",
        7 => "{\"type\": \"map\", \"values\": " + Quote(Primitives[random.Next(Primitives.Length)]) + "}",
        _ => Nested((random.Next(4) == 0 ? "M" : "N") + field, Fields(random, depth + 1, unions)),
    };

    // A reader made from the writer: each field kept, promoted, retyped, made optional, dropped or joined by a new one.
    private static List<(string Name, string Type, string? Default)> Mutate(Random random, List<(string Name, string Type, string? Default)> writer, int depth)
    {
        var reader = new List<(string, string, string?)>();
        foreach (var (name, type, def) in writer)
        {
            switch (random.Next(8))
            {
                case < 3:
                    reader.Add((name, type, def));
                    break;
                case 3:
                    var promoted = type switch { "\"int\"" => "\"long\"", "\"long\"" => "\"double\"", "\"float\"" => "\"double\"", _ => type };
                    reader.Add((name, promoted, def is null ? null : Default(promoted)));
                    break;
                case 4:
                    var retyped = Type(random, name, depth, unions: true);
                    reader.Add((name, retyped, random.Next(2) == 0 ? Default(retyped) : null));
                    break;
                case 5 when type.StartsWith('"'):
                    reader.Add((name, "[\"null\", " + type + "]", random.Next(2) == 0 ? "null" : null));
                    break;
                case 6:
                    break; // dropped
                default:
                    reader.Add((name, type, def));
                    break;
            }
        }

        if (random.Next(3) == 0)
        {
            var type = Quote(Primitives[random.Next(Primitives.Length)]);
            reader.Add(("added", type, random.Next(2) == 0 ? Default(type) : null));
        }

        return reader;
    }

    private static string? Default(string type) => type switch
    {
        "\"int\"" or "\"long\"" or "\"float\"" or "\"double\"" => "0",
        "\"string\"" => "\"\"",
        "\"boolean\"" => "false",
        _ when type.StartsWith("[\"null\"", StringComparison.Ordinal) => "null",
        _ => null,
    };

    private static string Quote(string name) => "\"" + name + "\"";

    private static string FieldsJson(List<(string Name, string Type, string? Default)> fields) => string.Join(", ", fields.Select(f =>
        "{\"name\": \"" + f.Name + "\", \"type\": " + f.Type + (f.Default is null ? "" : ", \"default\": " + f.Default) + "}"));

    private static string Nested(string name, List<(string Name, string Type, string? Default)> fields) =>
        "{\"type\": \"record\", \"name\": \"" + name + "\", \"fields\": [" + FieldsJson(fields) + "]}";

    private static RecordSchema Top(List<(string Name, string Type, string? Default)> fields) =>
        (RecordSchema)Schema.Parse("{\"type\": \"record\", \"name\": \"R\", \"namespace\": \"t\", \"fields\": [" + FieldsJson(fields) + "]}");
}

using System.Text.Json;
using Avro;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.DeadLetters;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Runtime.Tests.DeadLetters;

/// <summary>Keeps schemas/dead-letter.avsc and the records the dead-letter factory writes in step.</summary>
public sealed class DeadLetterSchemaTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private static RecordSchema LoadSchema() =>
        (RecordSchema)Schema.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "dead-letter.avsc")));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Create_AnyOptions_RecordConformsToAvroSchema(bool includePayload)
    {
        var factory = new DeadLetterFactory(new DeadLetterOptions { IncludeRawPayload = includePayload }, "v1", Time, NullLogger.Instance);
        var withOptional = factory.Create(DeadLetterReason.FieldActionFailed, "mask", new SourceCoordinates("in", 3, 7), "{}"u8, "alpha", "a.b");
        var minimal = factory.Create(DeadLetterReason.MalformedRecord, "route", new SourceCoordinates("in", 0, 1), "x"u8);

        foreach (var record in new[] { withOptional, minimal })
        {
            using var json = JsonDocument.Parse(record.Message.Value);
            AssertConforms(LoadSchema(), json.RootElement, "$");
        }
    }

    [Fact]
    public void Schema_EveryReasonCode_IsDocumented()
    {
        var doc = LoadSchema().Fields.Single(f => f.Name == "reason").Documentation;

        foreach (var reason in Enum.GetValues<DeadLetterReason>())
        {
            doc.ShouldContain(reason.ToCode());
        }
    }

    private static void AssertConforms(RecordSchema schema, JsonElement element, string path)
    {
        element.ValueKind.ShouldBe(JsonValueKind.Object, path);
        foreach (var property in element.EnumerateObject())
        {
            schema.Contains(property.Name).ShouldBeTrue($"{path}.{property.Name} is not in the schema");
        }

        foreach (var field in schema.Fields)
        {
            var present = element.TryGetProperty(field.Name, out var value) && value.ValueKind != JsonValueKind.Null;
            var fieldType = field.Schema;
            if (fieldType is UnionSchema union)
            {
                union.Schemas.ShouldContain(s => s.Tag == Schema.Type.Null, $"{path}.{field.Name}");
                if (!present)
                {
                    continue;
                }

                fieldType = union.Schemas.Single(s => s.Tag != Schema.Type.Null);
            }

            present.ShouldBeTrue($"{path}.{field.Name} is required by the schema");
            AssertValue(fieldType, value, $"{path}.{field.Name}");
        }
    }

    private static void AssertValue(Schema schema, JsonElement value, string path)
    {
        switch (schema.Tag)
        {
            case Schema.Type.String:
                value.ValueKind.ShouldBe(JsonValueKind.String, path);
                break;
            case Schema.Type.Int:
                value.TryGetInt32(out _).ShouldBeTrue(path);
                break;
            case Schema.Type.Long:
                value.TryGetInt64(out _).ShouldBeTrue(path);
                break;
            case Schema.Type.Record:
                AssertConforms((RecordSchema)schema, value, path);
                break;
            default:
                throw new InvalidOperationException($"{path}: schema type {schema.Tag} is not expected in dead-letter records");
        }
    }
}

using System.Text.Json.Nodes;
using Avro;
using StreamMasking.Core.Schemas;
using StreamMasking.Host.Demo;
using StreamMasking.Testing.Json;

namespace StreamMasking.Host.Tests.Demo;

/// <summary>The demo's synthetic events conform to the sample input schemas (schemas/samples).</summary>
public sealed class SampleSchemaTests
{
    private static RecordSchema Load(string file) =>
        (RecordSchema)Schema.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "samples", file)));

    [Fact]
    public void Next_EveryWellFormedEvent_ConformsToItsSampleSchema()
    {
        var schemas = new Dictionary<string, RecordSchema>
        {
            [SyntheticEvents.VisitsTopic] = Load("patient-visit.avsc"),
            [SyntheticEvents.PaymentsTopic] = Load("payment.avsc"),
        };
        var now = new DateTimeOffset(2026, 12, 1, 9, 30, 15, TimeSpan.Zero);
        var seen = new HashSet<string>();

        for (var i = 0; i < 400; i++)
        {
            var (topic, value) = SyntheticEvents.Next(i, now);
            JsonObject json;
            try
            {
                json = JsonNode.Parse(value)!.AsObject();
            }
            catch (System.Text.Json.JsonException)
            {
                continue; // the deliberately malformed ones
            }

            var schema = schemas[topic];
            var back = AvroJsonDecoder.Decode(schema, AvroBinary.Write(schema, AvroJsonEncoder.ToRecord(schema, json)));
            JsonEquivalence.Difference(json, back).ShouldBeNull();
            seen.Add(topic);
        }

        seen.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("patient-visit.avsc", "patient.name", "PII")]
    [InlineData("patient-visit.avsc", "patient.ssn", "PII")]
    [InlineData("payment.avsc", "payment.cardHolder", "PII")]
    public void SampleSchema_PersonalFields_CarryConfluentTags(string file, string path, string tag)
    {
        Schema schema = Load(file);
        Field? field = null;
        foreach (var name in path.Split('.'))
        {
            field = ((RecordSchema)schema).Fields.Single(f => f.Name == name);
            schema = field.Schema;
        }

        field!.GetProperty("confluent:tags").ShouldContain(tag);
    }

    [Theory]
    [InlineData("patient-visit.avsc", "visit")]
    [InlineData("payment.avsc", "payment")]
    public void SampleSchema_EventTime_IsTimestampMillis(string file, string parent)
    {
        var record = (RecordSchema)Load(file).Fields.Single(f => f.Name == parent).Schema;
        var at = record.Fields.Single(f => f.Name == "at").Schema.ShouldBeOfType<LogicalSchema>();
        at.LogicalTypeName.ShouldBe("timestamp-millis");
    }
}

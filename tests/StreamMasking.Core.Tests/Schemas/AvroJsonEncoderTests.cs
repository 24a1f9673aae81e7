using System.Text.Json.Nodes;
using Avro;
using StreamMasking.Core.Schemas;

namespace StreamMasking.Core.Tests.Schemas;

public sealed class AvroJsonEncoderTests
{
    private static readonly RecordSchema Person = (RecordSchema)Schema.Parse("""
        {"type":"record","name":"P","fields":[
          {"name":"name","type":"string"},
          {"name":"age","type":["null","int"],"default":null},
          {"name":"kind","type":"string","default":"person"}]}
        """);

    [Fact]
    public void ToRecord_PropertyTheSchemaLacks_ThrowsSchemaMismatchNamingIt()
    {
        var e = Should.Throw<AvroDataException>(() => AvroJsonEncoder.ToRecord(Person, new JsonObject { ["name"] = "a", ["ssn"] = "x" }));

        e.Problem.ShouldBe(AvroDataProblem.SchemaMismatch);
        e.Path.ShouldBe("ssn");
    }

    [Fact]
    public void ToRecord_MissingFields_TakeNullOrDefaultOrFail()
    {
        var record = AvroJsonEncoder.ToRecord(Person, new JsonObject { ["name"] = "a" });

        record["age"].ShouldBeNull();
        record["kind"].ShouldBe("person");
        Should.Throw<AvroDataException>(() => AvroJsonEncoder.ToRecord(Person, new JsonObject { ["age"] = 3 })).Path.ShouldBe("name");
    }

    [Theory]
    [InlineData("""{"name": 3}""", "name")]
    [InlineData("""{"name": "a", "age": 1.5}""", "age")]
    [InlineData("""{"name": "a", "age": "3"}""", "age")]
    [InlineData("""{"name": null}""", "name")]
    public void ToRecord_WrongValueType_ThrowsSchemaMismatch(string json, string path) =>
        Should.Throw<AvroDataException>(() => AvroJsonEncoder.ToRecord(Person, JsonNode.Parse(json)!.AsObject())).Path.ShouldBe(path);
}

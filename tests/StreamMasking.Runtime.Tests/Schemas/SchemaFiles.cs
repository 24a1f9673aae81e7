using System.Text.Json.Nodes;
using Avro;
using StreamMasking.Core.Schemas;
using StreamMasking.Testing.Json;

namespace StreamMasking.Runtime.Tests.Schemas;

/// <summary>The .avsc files of schemas/ as copied next to the tests, and a strict conformance check.</summary>
internal static class SchemaFiles
{
    internal static string Directory => Path.Combine(AppContext.BaseDirectory, "schemas");

    internal static RecordSchema Load(string relativePath) =>
        (RecordSchema)Schema.Parse(File.ReadAllText(Path.Combine(Directory, relativePath)));

    /// <summary>
    /// Writes <paramref name="json"/> as Avro under <paramref name="schema"/> (strict: a property the schema lacks
    /// fails), reads it back and requires the same JSON: the record conforms, and the schema loses nothing.
    /// </summary>
    internal static void AssertConforms(RecordSchema schema, JsonObject json)
    {
        var bytes = AvroBinary.Write(schema, AvroJsonEncoder.ToRecord(schema, json));
        var back = AvroJsonDecoder.Decode(schema, bytes);
        JsonEquivalence.Difference(json, back).ShouldBeNull(json.ToJsonString());
    }
}

using System.Text.Json.Nodes;
using Avro;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Records;
using StreamMasking.Core.Schemas;

namespace StreamMasking.Core.Tests.Schemas;

/// <summary>Fields selected by <c>confluent:tags</c> in Avro writer schemas, through every shape a schema can take.</summary>
public sealed class SchemaTagRulesTests
{
    // A named record type tagged PII reused at two places, a field tag in a nested record, a nullable union, an array,
    // a map, a union of two records, a recursive type and an enum type carrying the tag.
    private const string Writer = """
        {
          "type": "record", "name": "Visit", "namespace": "t",
          "fields": [
            { "name": "id", "type": "string" },
            { "name": "patient", "type": { "type": "record", "name": "Patient", "fields": [
              { "name": "ref", "type": "string" },
              { "name": "name", "type": "string", "confluent:tags": ["PII"] },
              { "name": "contact", "type": ["null", { "type": "record", "name": "Contact", "fields": [
                { "name": "email", "type": "string", "confluent:tags": ["PII", "CONTACT"] },
                { "name": "channel", "type": "string" } ] }], "default": null } ] } },
            { "name": "home", "type": { "type": "record", "name": "Address", "confluent:tags": ["ADDRESS"], "fields": [
              { "name": "zip", "type": "string" } ] } },
            { "name": "work", "type": ["null", "t.Address"], "default": null },
            { "name": "notes", "type": { "type": "array", "items": { "type": "record", "name": "Note", "fields": [
              { "name": "text", "type": "string", "confluent:tags": ["PII"] } ] } } },
            { "name": "labels", "type": { "type": "map", "values": "t.Note" } },
            { "name": "extra", "type": ["null", "t.Note", "t.Contact"], "default": null },
            { "name": "next", "type": ["null", "t.Visit"], "default": null },
            { "name": "sex", "type": { "type": "enum", "name": "Sex", "symbols": ["F", "M", "X"], "confluent:tags": ["QUASI"] } }
          ]
        }
        """;

    private static readonly RecordSchema WriterSchema = (RecordSchema)Schema.Parse(Writer);

    private static PrivacyPolicy Policy(string fields, string tags = "PII: tokenize\n  ADDRESS: drop\n  QUASI: keep")
    {
        var yaml = $$"""
            version: "1"
            tags:
              {{tags}}
            segments:
              - name: s
                match: { all: [] }
                fields:
            {{fields}}
            """;
        var result = PolicyLoader.Parse(yaml, "t.yaml");
        result.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, result.Diagnostics));
        return result.Policy!;
    }

    private static Dictionary<string, string> Rules(PrivacyPolicy policy) =>
        policy.Segments[0].Fields.ToDictionary(r => r.Path.Text, r => r.Action.Name + (r.Tag is null ? "" : "/" + r.Tag));

    [Fact]
    public void Find_EveryShape_TagsOfFieldsAndNamedTypesWithTheirContainers()
    {
        var found = SchemaTagRules.Find(WriterSchema).ToDictionary(f => f.Path);

        found.Keys.ShouldBe([
            "patient.name", "patient.contact.email", "home", "work", "notes.text", "labels.text", "extra.text", "extra.email",
            "next", "sex",
        ], ignoreOrder: true);
        found["patient.contact.email"].Tags.ShouldBe(["PII", "CONTACT"]);
        found["patient.contact.email"].Container.ShouldBeNull(); // a nullable union is walked through
        found["home"].Tags.ShouldBe(["ADDRESS"]);
        found["work"].Tags.ShouldBe(["ADDRESS"]); // the reused named type carries its tag to every use
        found["notes.text"].Container.ShouldBe("notes");
        found["labels.text"].Container.ShouldBe("labels"); // the reused type again, as map values
        found["extra.email"].Container.ShouldBe("extra");
        found["sex"].Tags.ShouldBe(["QUASI"]);
        found["next"].Container.ShouldBe("next"); // a recursive reference to a type holding tags: opaque
        found["next"].Tags.ShouldBeEmpty();
    }

    [Fact]
    public void Apply_NestedRecordsUnionsAndNamedTypes_AddsTagRulesAndKeepsPathRules()
    {
        var policy = Policy("""
                  id: keep
                  patient.ref: tokenize
                  patient.contact.email: { action: partial, keepLast: 4 }
                  patient.contact.channel: keep
            """);

        var (resolved, refused) = SchemaTagRules.Apply(policy, WriterSchema);

        refused.ShouldBeEmpty();
        var rules = Rules(resolved);
        rules["patient.name"].ShouldBe("tokenize/PII");
        rules["patient.contact.email"].ShouldBe("partial"); // the path rule wins over the tags
        rules["home"].ShouldBe("drop/ADDRESS");
        rules["work"].ShouldBe("drop/ADDRESS");
        rules["sex"].ShouldBe("keep/QUASI");
        rules.ShouldNotContainKey("notes.text"); // inside an array nobody writes: dropped with it
        rules.ShouldNotContainKey("next.patient.name"); // below a field the policy does not name: dropped with it
        resolved.Segments[0].Name.ShouldBe("s");
        policy.Segments[0].Fields.Count.ShouldBe(4); // the configured policy is unchanged

        using var keyring = new TokenKeyring(Enumerable.Repeat((byte)7, 32).ToArray());
        using var masker = new RecordMasker(resolved, keyring);
        var record = JsonNode.Parse("""
            {"id":"v1","patient":{"ref":"r1","name":"Ada","contact":{"email":"ada@example.org","channel":"sms"}},
             "home":{"zip":"10115"},"work":null,"notes":[{"text":"n"}],"labels":{"a":"b"},"extra":null,"next":null,"sex":"F"}
            """)!.AsObject();
        var masked = masker.Mask(resolved.Segments[0], new RecordEnvelope("t", null, record)).Output!;
        masked["patient"]!["name"]!.GetValue<string>().ShouldStartWith("tok_");
        masked["patient"]!["contact"]!["email"]!.GetValue<string>().ShouldEndWith(".org");
        masked.ContainsKey("home").ShouldBeFalse();
        masked.ContainsKey("notes").ShouldBeFalse();
        masked["sex"]!.GetValue<string>().ShouldBe("F");

        var derived = MaskedSchemaDeriver.Derive(WriterSchema, resolved.Segments[0], "1");
        derived.Schema.Fields.Select(f => f.Name).ShouldBe(["id", "patient", "sex"]);
        derived.Json.ShouldContain("(from tag PII)");
    }

    [Theory]
    [InlineData("      notes: keep", "notes.text")] // an array written whole would carry its tagged items raw
    [InlineData("      labels: keep", "labels.text")] // a map written whole
    [InlineData("      notes: drop", null)] // a dropped array takes its tagged items with it
    [InlineData("      extra: keep", "extra.text")] // a union of several records written whole
    [InlineData("      next: keep", "next")] // a kept recursive reference holds tagged fields
    [InlineData("      patient: keep", "patient.name")] // a kept parent of a tagged field
    public void Apply_TaggedValueAContainerWritesWhole_RefusesTheSchemaWithThePath(string fields, string? path)
    {
        var (_, refused) = SchemaTagRules.Apply(Policy(fields), WriterSchema);

        if (path is null)
        {
            refused.ShouldBeEmpty();
        }
        else
        {
            refused["s"].ShouldStartWith(path + ":");
        }
    }

    [Fact]
    public void Apply_TagsOfOneFieldDisagree_RefusesTheSchema()
    {
        var (_, refused) = SchemaTagRules.Apply(Policy("      id: keep", "PII: tokenize\n  CONTACT: drop"), WriterSchema);

        refused["s"].ShouldStartWith("patient.contact.email: tags with different actions");
    }

    [Fact]
    public void Apply_SegmentTagsOverridePolicyTagsAndUnmappedTagsDrop()
    {
        var yaml = """
            version: "1"
            tags:
              PII: tokenize
            segments:
              - name: s
                match: { field: id, equals: a }
                tags:
                  PII: drop
                fields:
                  id: keep
              - name: t
                match: { all: [] }
                fields:
                  id: keep
            """;
        var parsed = PolicyLoader.Parse(yaml, "t.yaml");
        parsed.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, parsed.Diagnostics));
        var policy = parsed.Policy!;

        var (resolved, refused) = SchemaTagRules.Apply(policy, WriterSchema);

        refused.ShouldBeEmpty();
        resolved.Segments[0].Fields.Single(r => r.Path.Text == "patient.name").Action.Name.ShouldBe("drop");
        resolved.Segments[1].Fields.Single(r => r.Path.Text == "patient.name").Action.Name.ShouldBe("tokenize");
        resolved.Segments[1].Fields.ShouldNotContain(r => r.Path.Text == "home"); // ADDRESS has no action here
    }

    [Fact]
    public void Apply_TagsNotAnArrayOfStrings_Throws()
    {
        var bad = (RecordSchema)Schema.Parse("""
            {"type":"record","name":"R","fields":[{"name":"a","type":"string","confluent:tags":"PII"}]}
            """);

        Should.Throw<SchemaParseException>(() => SchemaTagRules.Apply(Policy("      a: keep"), bad));
    }
}

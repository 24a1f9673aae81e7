using System.Text.Json.Nodes;
using Avro;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Records;
using StreamMasking.Core.Schemas;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Schemas;

/// <summary>
/// The derived masked schema of every sample input schema × every segment of every sample policy, against golden
/// files in <c>Schemas/MaskedGolden</c> (regenerate with <c>STREAMMASKING_UPDATE_GOLDEN=1</c> and review the diff),
/// and proof that what the masking engine writes for a sample record fits the derived schema.
/// </summary>
public sealed class MaskedSchemaGoldenTests
{
    private const string UpdateVariable = "STREAMMASKING_UPDATE_GOLDEN";

    private static readonly string[] Samples = ["patient-visit", "payment"];

    private static readonly string[] Policies = ["policies/demo.yaml", "policies/examples/full.yaml", "policies/examples/dp.yaml"];

    private static readonly Dictionary<string, string> SampleRecords = new(StringComparer.Ordinal)
    {
        ["patient-visit"] = """
            {"eventId":"e-1","type":"visit","tenant":"clinic-a","region":"eu",
             "patient":{"id":"p-1","name":"Ada","ssn":"123-45-6789","birthDate":"1980-05-17","zip":"10115","age":43},
             "visit":{"at":"2026-11-23T10:15:30.123Z","department":"oncology","diagnosis":"C50","cost":1234.5,"notes":"free text"}}
            """,
        ["payment"] = """
            {"eventId":"e-2","type":"payment","tenant":"clinic-b","region":"us","patient":{"id":"p-2"},
             "payment":{"cardNumber":"4111111111111111","cardHolder":"Ada","amount":87.5,"currency":"EUR","at":"2026-11-23T10:15:30.123Z"}}
            """,
    };

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var policy in Policies)
        {
            foreach (var segment in PolicyLoader.LoadFileOrThrow(RepositoryRoot.Of(policy)).Segments)
            {
                foreach (var sample in Samples)
                {
                    data.Add(policy, segment.Name, sample);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derive_SampleSchemaAndPolicySegment_MatchesGoldenFile(string policyFile, string segmentName, string sample)
    {
        var derived = Derive(policyFile, segmentName, sample, out _);
        var golden = RepositoryRoot.Of("tests", "StreamMasking.Core.Tests", "Schemas", "MaskedGolden",
            Path.GetFileNameWithoutExtension(policyFile), segmentName + "." + sample + ".avsc");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, derived.Json + "\n");
        }

        File.Exists(golden).ShouldBeTrue($"golden file {golden} is missing; run with {UpdateVariable}=1 and review it");
        derived.Json.ShouldBe(File.ReadAllText(golden).TrimEnd('\n').ReplaceLineEndings("\n"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Derive_MaskedSampleRecord_FitsTheDerivedSchemaWithAndWithoutNoisedFields(string policyFile, string segmentName, string sample)
    {
        var derived = Derive(policyFile, segmentName, sample, out var policy);
        var writer = Sample(sample);
        var decoded = AvroJsonDecoder.Decode(writer, AvroBinary.Write(writer, AvroJsonEncoder.ToRecord(writer, JsonNode.Parse(SampleRecords[sample])!.AsObject())));
        using var keyring = new TokenKeyring(TestPolicies.Secret);
        using var masker = new RecordMasker(policy, keyring);
        var segment = policy.FindSegment(segmentName)!;

        foreach (var strip in new[] { false, true })
        {
            var outcome = masker.Mask(segment, new RecordEnvelope("in", null, decoded.DeepClone().AsObject(), new RecordCoordinates("in", 0, 7)));
            outcome.Output.ShouldNotBeNull(outcome.ToString());
            if (strip)
            {
                masker.StripNoisedFields(segment, outcome.Output);
            }

            var record = AvroJsonEncoder.ToRecord(derived.Schema, outcome.Output);
            var back = AvroJsonDecoder.Decode(derived.Schema, AvroBinary.Write(derived.Schema, record));
            back.Count.ShouldBe(outcome.Output.Count);
        }
    }

    [Fact]
    public void Derive_DemoVisitSegment_TypesFollowTheActions()
    {
        var derived = Derive("policies/demo.yaml", "clinic-a.eu.visits", "patient-visit", out _);
        var patient = (RecordSchema)derived.Schema["patient"].Schema;
        var visit = (RecordSchema)derived.Schema["visit"].Schema;

        derived.Schema.Fullname.ShouldBe("io.streammasking.masked.clinic_a.eu.visits.PatientVisit");
        patient["name"].Schema.Tag.ShouldBe(Schema.Type.String); // tokenized by tag PII
        patient["id"].Schema.Tag.ShouldBe(Schema.Type.String);
        patient["age"].Schema.Tag.ShouldBe(Schema.Type.String); // bucket written as a range
        ((LogicalSchema)patient["birthDate"].Schema).LogicalTypeName.ShouldBe("date");
        ((UnionSchema)visit["cost"].Schema).Schemas.Select(s => s.Tag).ShouldBe([Schema.Type.Null, Schema.Type.Double]);
        var department = (EnumSchema)((UnionSchema)visit["department"].Schema).Schemas[1];
        department.Symbols.ShouldBe(["cardiology", "oncology", "emergency", "pediatrics"]);
        visit.Fields.Select(f => f.Name).ShouldNotContain("notes");
        derived.UnnamedFields.ShouldBe(["type", "visit.notes"]);
        visit["cost"].Documentation.ShouldStartWith("laplace");
    }

    [Fact]
    public void Derive_DroppedByTag_FieldIsRemoved()
    {
        var derived = Derive("policies/demo.yaml", "clinic-b.us.visits", "patient-visit", out _);
        var patient = (RecordSchema)derived.Schema["patient"].Schema;

        patient.Fields.Select(f => f.Name).ShouldNotContain("name");
        patient.Fields.Select(f => f.Name).ShouldNotContain("ssn");
    }

    [Fact]
    public void Derive_PolicyPathsTheSchemaLacks_AreReportedMissing()
    {
        var derived = Derive("policies/demo.yaml", "clinic-a.eu.visits", "payment", out _);

        derived.MissingFields.ShouldContain("visit.cost");
        derived.MissingFields.ShouldContain("patient.zip");
        derived.Schema.Fields.Select(f => f.Name).ShouldNotContain("visit");
    }

    [Fact]
    public void Derive_PathThroughAString_Throws()
    {
        var writer = (RecordSchema)Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}""");
        var policy = TestPolicies.OneSegment("a.b: keep");

        Should.Throw<SchemaParseException>(() => MaskedSchemaDeriver.Derive(writer, policy.Segments[0], "1"));
    }

    [Theory]
    [InlineData("clinic-a.eu.visits", "io.streammasking.masked.clinic_a.eu.visits")]
    [InlineData("2026.q1", "io.streammasking.masked._2026.q1")]
    public void NamespaceFor_SegmentName_IsAValidStableNamespace(string segment, string expected) =>
        MaskedSchemaDeriver.NamespaceFor(segment).ShouldBe(expected);

    private static RecordSchema Sample(string name) =>
        (RecordSchema)Schema.Parse(File.ReadAllText(RepositoryRoot.Of("schemas", "samples", name + ".avsc")));

    private static MaskedSchema Derive(string policyFile, string segmentName, string sample, out PrivacyPolicy policy)
    {
        policy = PolicyLoader.LoadFileOrThrow(RepositoryRoot.Of(policyFile));
        return MaskedSchemaDeriver.Derive(Sample(sample), policy.FindSegment(segmentName)!, policy.Version);
    }
}

using System.Text.Json.Nodes;
using Avro;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Core.Schemas;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.DeadLetters;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Tests.Audit;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Schemas;

/// <summary>Every Avro schema in schemas/ parses, and what the service writes to each topic conforms to its schema.</summary>
public sealed class SchemaFilesTests
{
    [Fact]
    public void Parse_EveryAvscFile_IsANamedRecordWithDocs()
    {
        var files = System.IO.Directory.GetFiles(SchemaFiles.Directory, "*.avsc", SearchOption.AllDirectories);
        files.Length.ShouldBeGreaterThanOrEqualTo(5);

        foreach (var file in files)
        {
            var schema = Schema.Parse(File.ReadAllText(file)).ShouldBeOfType<RecordSchema>(file);
            schema.Namespace.ShouldStartWith("io.streammasking.", Case.Sensitive, file);
            schema.Documentation.ShouldNotBeNullOrWhiteSpace(file);
        }
    }

    [Fact]
    public void ReleaseSchema_EveryAggregateKindAndAccountant_Conforms()
    {
        var schema = SchemaFiles.Load("release.avsc");
        var payloads = new[] { AllKinds(), Zcdp() }
            .SelectMany(spec => ReleaseFirstWindow(spec).Outcomes)
            .Select(o => o.Payload)
            .OfType<byte[]>()
            .ToList();
        payloads.Count.ShouldBeGreaterThanOrEqualTo(5);

        foreach (var payload in payloads)
        {
            SchemaFiles.AssertConforms(schema, JsonNode.Parse(payload)!.AsObject());
        }
    }

    [Fact]
    public void AuditSchema_EveryEventType_ConformsWithTheMatchingDataBranch()
    {
        var schema = SchemaFiles.Load("audit-event.avsc");
        var branchOfType = new Dictionary<string, string>
        {
            [AuditEventTypes.PolicyLoaded] = "PolicyLoadedData",
            [AuditEventTypes.Release] = "ReleaseData",
            [AuditEventTypes.BudgetDebit] = "BudgetDebitData",
            [AuditEventTypes.Suppression] = "SuppressionData",
            [AuditEventTypes.DeadLetterSummary] = "DeadLetterSummaryData",
            [AuditEventTypes.RecordsDropped] = "RecordsDroppedData",
            [AuditEventTypes.OwnershipViolated] = "OwnershipViolatedData",
            [AuditEventTypes.UnitLifetimeExhausted] = "UnitLifetimeExhaustedData",
            [AuditEventTypes.SchemaFieldsUnnamed] = "SchemaFieldsUnnamedData",
        };
        var events = AuditEventSchemaTests.AllEvents().Select(r => JsonNode.Parse(r.Message.Value)!.AsObject()).ToList();
        events.Select(e => (string)e["type"]!).Distinct().Order().ShouldBe(AuditEventTypes.All.Order());

        foreach (var json in events)
        {
            Should.NotThrow(() => SchemaFiles.AssertConforms(schema, json), (string)json["type"]! + ": " + json["data"]!.ToJsonString());
            var record = AvroJsonEncoder.ToRecord(schema, json);
            ((Avro.Generic.GenericRecord)record["data"]).Schema.Name.ShouldBe(branchOfType[(string)json["type"]!]);
        }
    }

    [Fact]
    public void AuditSchema_PolicyLoadedParts_ConformWithTheirPartFields()
    {
        var schema = SchemaFiles.Load("audit-event.avsc");
        var parts = Writer().PolicyLoaded(BigSegmentBetweenSmallOnes(aggregates: 1_000), "mask");
        parts.Count.ShouldBe(3);

        for (var i = 0; i < parts.Count; i++)
        {
            var json = JsonNode.Parse(parts[i].Message.Value)!.AsObject();
            SchemaFiles.AssertConforms(schema, json);
            var data = (Avro.Generic.GenericRecord)AvroJsonEncoder.ToRecord(schema, json)["data"];
            data.Schema.Name.ShouldBe("PolicyLoadedData");
            data["part"].ShouldBe(i + 1L);
            data["parts"].ShouldBe(3L);
            data["loadId"].ShouldBe((string)json["data"]!["loadId"]!);
        }
    }

    [Fact]
    public void AuditSchema_StrayDataField_IsRejected()
    {
        var schema = SchemaFiles.Load("audit-event.avsc");
        var json = JsonNode.Parse(Writer().Release(ReleaseFirstWindow(AllKinds()).Outcomes[0]).Message.Value)!.AsObject();
        json["data"]!["value"] = 3.5;

        Should.Throw<AvroDataException>(() => AvroJsonEncoder.ToRecord(schema, json)).Problem.ShouldBe(AvroDataProblem.SchemaMismatch);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DeadLetterSchema_FactoryRecords_Conform(bool includePayload)
    {
        var schema = SchemaFiles.Load("dead-letter.avsc");
        var factory = new DeadLetterFactory(new DeadLetterOptions { IncludeRawPayload = includePayload }, "v1",
            new FakeTimeProvider(Now), NullLogger.Instance);

        foreach (var reason in Enum.GetValues<DeadLetterReason>())
        {
            var record = factory.Create(reason, "mask", new SourceCoordinates("in", 3, 7), "{}"u8, "alpha", "a.b");
            SchemaFiles.AssertConforms(schema, JsonNode.Parse(record.Message.Value)!.AsObject());
        }
    }
}

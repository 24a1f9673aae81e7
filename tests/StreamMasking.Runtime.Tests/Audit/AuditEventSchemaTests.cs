using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using NJsonSchema;
using StreamMasking.Core.Release;
using StreamMasking.Core.Windowing;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Processing;
using static StreamMasking.Runtime.Tests.Audit.AuditFixtures;

namespace StreamMasking.Runtime.Tests.Audit;

/// <summary>Keeps schemas/audit-event.schema.json and the events the audit writer writes in step.</summary>
public sealed class AuditEventSchemaTests
{
    private static readonly Lazy<Task<JsonSchema>> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "audit-event.schema.json"))));

    [Fact]
    public async Task EveryFactoryMethod_OutputValidatesAgainstSchema()
    {
        var schema = await Schema.Value;
        var records = AllEvents().ToList();
        records.Select(r => Decode(r).Type).Distinct().Order().ShouldBe(AuditEventTypes.All.Order());

        foreach (var record in records)
        {
            var json = Encoding.UTF8.GetString(record.Message.Value!);
            var errors = schema.Validate(json);
            errors.ShouldBeEmpty(json + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }
    }

    [Theory]
    [InlineData("value", "3.5")]
    [InlineData("bins", "[]")]
    [InlineData("selected", "[\"J45\"]")]
    [InlineData("noise", "0.25")]
    public async Task Schema_StrayFieldInReleaseData_Fails(string field, string valueJson)
    {
        var schema = await Schema.Value;
        var node = Json(Writer().Release(ReleaseFirstWindow(AllKinds()).Outcomes[0]));
        node["data"]![field] = JsonNode.Parse(valueJson);

        schema.Validate(node.ToJsonString()).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Schema_StrayFieldInNestedDataOrEnvelope_Fails()
    {
        var schema = await Schema.Value;
        var released = ReleaseFirstWindow(AllKinds());
        var debit = Json(Writer().BudgetDebit(Segment, released.Outcomes[0], released.Ledger));
        debit["data"]!["charged"]!["value"] = 1;
        var envelope = Json(Writer().Release(released.Outcomes[0]));
        envelope["value"] = 1;
        var policy = Json(Writer().PolicyLoaded(DpPolicy(), "mask").ShouldHaveSingleItem());
        policy["data"]!["segments"]![0]!["aggregates"]![0]!["value"] = 1;

        schema.Validate(debit.ToJsonString()).ShouldNotBeEmpty();
        schema.Validate(envelope.ToJsonString()).ShouldNotBeEmpty();
        schema.Validate(policy.ToJsonString()).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Schema_DataOfAnotherTypeOrMisplacedSubject_Fails()
    {
        var schema = await Schema.Value;
        var released = ReleaseFirstWindow(AllKinds());
        var release = Json(Writer().Release(released.Outcomes[0]));
        release["type"] = AuditEventTypes.BudgetDebit;
        var policy = Json(Writer().PolicyLoaded(DpPolicy(), "mask").ShouldHaveSingleItem());
        policy["subject"] = Segment;
        var withoutSubject = Json(Writer().Release(released.Outcomes[0]));
        withoutSubject.Remove("subject");
        var badHash = Json(Writer().Release(released.Outcomes[0]));
        badHash["data"]!["payloadSha256"] = "ABC";

        schema.Validate(release.ToJsonString()).ShouldNotBeEmpty();
        schema.Validate(policy.ToJsonString()).ShouldNotBeEmpty();
        schema.Validate(withoutSubject.ToJsonString()).ShouldNotBeEmpty();
        schema.Validate(badHash.ToJsonString()).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Schema_EveryPartOfALargePolicyLoad_Validates()
    {
        var schema = await Schema.Value;
        var parts = Writer().PolicyLoaded(ManySegments(10_000, nameLength: 40), "mask");
        parts.Count.ShouldBeGreaterThan(1);

        foreach (var part in parts)
        {
            var errors = schema.Validate(Encoding.UTF8.GetString(part.Message.Value!));
            errors.ShouldBeEmpty(string.Join(Environment.NewLine, errors));
        }
    }

    [Theory]
    [InlineData("loadId")]
    [InlineData("part")]
    [InlineData("parts")]
    public async Task Schema_PolicyLoadedPartFieldMissingWhileTheOthersArePresent_Fails(string missing)
    {
        var schema = await Schema.Value;
        var policy = Json(Writer().PolicyLoaded(DpPolicy(), "mask").ShouldHaveSingleItem());
        policy["data"]!.AsObject().Remove(missing);

        schema.Validate(policy.ToJsonString()).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Schema_PolicyLoadedWithoutAnyPartField_ValidatesAsAWholeLoad()
    {
        // Events written before loads were audited in parts carry none of the three fields and stay valid.
        var schema = await Schema.Value;
        var policy = Json(Writer().PolicyLoaded(DpPolicy(), "mask").ShouldHaveSingleItem());
        var data = policy["data"]!.AsObject();
        data.Remove("loadId");
        data.Remove("part");
        data.Remove("parts");

        schema.Validate(policy.ToJsonString()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Schema_PolicyLoadedPartZero_Fails()
    {
        var schema = await Schema.Value;
        var policy = Json(Writer().PolicyLoaded(DpPolicy(), "mask").ShouldHaveSingleItem());
        policy["data"]!["part"] = 0;

        schema.Validate(policy.ToJsonString()).ShouldNotBeEmpty();
    }

    [Fact]
    public void Schema_ListsEveryTypeAndSuppressionCode()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "schemas", "audit-event.schema.json")));
        var root = schema.RootElement;
        var types = root.GetProperty("properties").GetProperty("type").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList();
        var reasons = root.GetProperty("definitions").GetProperty("suppressionData").GetProperty("properties").GetProperty("reason")
            .GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList();

        types.ShouldBe(AuditEventTypes.All);
        reasons.ShouldBe(Enum.GetValues<SuppressionReason>().Where(r => r != SuppressionReason.None).Select(AuditCodes.SuppressionCode));
        root.GetProperty("$schema").GetString().ShouldBe("http://json-schema.org/draft-07/schema#");
    }

    private static JsonObject Json(OutputRecord record) => JsonNode.Parse(record.Message.Value)!.AsObject();

    internal static IEnumerable<OutputRecord> AllEvents()
    {
        var writer = Writer();
        yield return writer.PolicyLoaded(DpPolicy(), "mask").ShouldHaveSingleItem();

        foreach (var spec in new[] { AllKinds(), Zcdp() })
        {
            var released = ReleaseFirstWindow(spec);
            foreach (var outcome in released.Outcomes)
            {
                yield return writer.Release(outcome);
                yield return writer.BudgetDebit(Segment, outcome, released.Ledger);
            }
        }

        var capped = Spec(
            [Count("a"), Count("b")],
            new BudgetSpec { WindowCap = PrivacyCost.Pure(new Epsilon(0.7)), LifetimeCap = PrivacyCost.Pure(new Epsilon(10)) });
        var refused = ReleaseFirstWindow(capped);
        foreach (var reason in Enum.GetValues<SuppressionReason>().Where(r => r != SuppressionReason.None))
        {
            yield return writer.Suppression(refused.Outcomes[1] with { Reason = reason }, refused.Window, "v1");
        }

        yield return writer.DeadLetterSummary(
            "route",
            new Dictionary<string, long> { ["unmatched_segment"] = 2, ["malformed_record"] = 1 },
            new Dictionary<string, long> { [""] = 3 });
        yield return writer.DeadLetterSummary("mask", new Dictionary<string, long>(), new Dictionary<string, long>());
        yield return writer.RecordsDropped("mask", Segment, new Dictionary<string, long> { ["late_record"] = 4, ["unit_cap_exceeded"] = 1 }, 2);
        yield return writer.RecordsDropped("mask", Segment, new Dictionary<string, long>(), 0);
        yield return writer.OwnershipViolated("mask", "in", Segment, 2, "partition_count_changed", "Topic 'in' has 5 partitions");
        yield return writer.OwnershipViolated("mask", "in", segment: null, -1, "ownership_unverifiable", "Cannot read the partition count");
        yield return writer.UnitLifetimeExhausted("mask", Segment, 0, AuditCodes.EventLifetimeSpent, PrivacyCost.Pure(new Epsilon(4)));
        yield return writer.UnitLifetimeExhausted("mask", Segment, 5, AuditCodes.EventLifetimeStateLost, PrivacyCost.Zcdp(new Rho(2)));
        yield return writer.SchemaFieldsUnnamed("mask", DpPolicy().Segments[0], "io.example.Visit", -42L, ["notes", "address.street"]);
    }
}

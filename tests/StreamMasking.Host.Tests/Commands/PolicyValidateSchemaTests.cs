using StreamMasking.Testing;
using static StreamMasking.Host.Tests.Support.CliRunner;

namespace StreamMasking.Host.Tests.Commands;

/// <summary><c>policy validate FILE --schema W.avsc [--previous OLD.yaml]</c> on the sample schemas.</summary>
public sealed class PolicyValidateSchemaTests : IDisposable
{
    private const string PaymentFields = """
              eventId: keep
              patient.id: tokenize
              payment.amount: keep
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("sm-policy-schema-").FullName;

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "schemas", "samples", name);

    [Fact]
    public void Validate_SchemaAndUnchangedPolicy_BackwardCompatibleExitZero()
    {
        var policy = Policy("v1", PaymentFields);

        var (exit, output, error) = Invoke("policy", "validate", policy, "--schema", Sample("payment.avsc"), "--previous", policy);

        exit.ShouldBe(0, error);
        output.ShouldContain("payment.avsc: writer schema io.streammasking.samples.v1.Payment");
        output.ShouldContain("  payments -> subject masked.payments-value (output avro)");
        output.ShouldContain("    backward compatible with previous policy version 'v1'");
        error.ShouldBeEmpty();
    }

    [Fact]
    public void Validate_ShippedDemoPolicyWithBothSamples_ExitZero()
    {
        var demo = TestPolicies.DemoPolicyPath;

        var (exit, output, error) = Invoke("policy", "validate", demo, "--schema", Sample("payment.avsc"), "--schema", Sample("patient-visit.avsc"), "--previous", demo);

        exit.ShouldBe(0, error);
        output.IndexOf("patient-visit.avsc: writer schema", StringComparison.Ordinal).ShouldBeLessThan(output.IndexOf("payment.avsc: writer schema", StringComparison.Ordinal));
        output.ShouldContain("    warning: visit.notes: not named by the policy, dropped");
        output.ShouldNotContain("refused");
    }

    [Fact]
    public void Validate_KeepToTokenizeOfNumericField_BreakNamingFieldExitOne()
    {
        var previous = Policy("v1", PaymentFields);
        var policy = Policy("v2", PaymentFields.Replace("payment.amount: keep", "payment.amount: tokenize", StringComparison.Ordinal));

        var (exit, output, error) = Invoke("policy", "validate", policy, "--schema", Sample("payment.avsc"), "--previous", previous);

        exit.ShouldBe(1);
        output.ShouldContain("    break: payment.amount: was double, now string (tokenize): readers of the new schema cannot read old records");
        output.ShouldNotContain("backward compatible");
        error.ShouldContain("1 schema problem(s) (1 compatibility break(s))");
    }

    [Fact]
    public void Validate_NewlyNamedOptionalField_CompatibleExitZero()
    {
        var previous = Policy("v1", VisitFields, "visits");
        var policy = Policy("v2", VisitFields + "\n      visit.notes: keep", "visits");

        var (exit, output, error) = Invoke("policy", "validate", policy, "--schema", Sample("patient-visit.avsc"), "--previous", previous);

        exit.ShouldBe(0, output + error);
        output.ShouldContain("    backward compatible with previous policy version 'v1'");
        output.ShouldNotContain("visit.notes: not named");
    }

    [Fact]
    public void Validate_NewlyNamedRequiredField_BreakExitOne()
    {
        var previous = Policy("v1", PaymentFields);
        var policy = Policy("v2", PaymentFields + "\n      payment.currency: keep");

        var (exit, output, _) = Invoke("policy", "validate", policy, "--schema", Sample("payment.avsc"), "--previous", previous);

        exit.ShouldBe(1);
        output.ShouldContain("    break: payment.currency: new field (string) without a default (keep): readers of the new schema cannot read old records");
    }

    [Fact]
    public void Validate_UnnamedFields_ListedAsWarningsExitZero()
    {
        var (exit, output, error) = Invoke("policy", "validate", Policy("v1", PaymentFields), "--schema", Sample("payment.avsc"));

        exit.ShouldBe(0, error);
        Lines(output).Where(l => l.EndsWith(": not named by the policy, dropped", StringComparison.Ordinal)).ShouldBe(
        [
            // payment.cardHolder is tagged PII, which the policy tokenizes; payment.cardNumber's tag PCI has no action.
            "    warning: payment.at: not named by the policy, dropped",
            "    warning: payment.cardNumber: not named by the policy, dropped",
            "    warning: payment.currency: not named by the policy, dropped",
            "    warning: region: not named by the policy, dropped",
            "    warning: tenant: not named by the policy, dropped",
            "    warning: type: not named by the policy, dropped",
        ]);
        output.ShouldContain("masked schemas derived for 1 writer schema(s)");
    }

    [Fact]
    public void Validate_PolicyPathMissingFromSchema_Listed()
    {
        var (exit, output, error) = Invoke("policy", "validate", Policy("v1", PaymentFields + "\n      payment.fee: keep"), "--schema", Sample("payment.avsc"));

        exit.ShouldBe(0, error);
        output.ShouldContain("    warning: payment.fee: named by the policy, not in the schema");
    }

    [Fact]
    public void Validate_UnreadableSchema_ExitOneWithClearMessage()
    {
        var broken = Path.Combine(_directory, "broken.avsc");
        File.WriteAllText(broken, """{ "type": "record", "name": "X", "fields": [ """);

        var (exit, output, error) = Invoke("policy", "validate", Policy("v1", PaymentFields), "--schema", broken);

        exit.ShouldBe(1);
        output.ShouldContain("broken.avsc: not a readable Avro schema: ");
        (output + error).ShouldNotContain("   at ");
        error.ShouldContain("1 schema problem(s)");
    }

    [Fact]
    public void Validate_SchemaNotARecordOrMissing_ExitOne()
    {
        var primitive = Path.Combine(_directory, "count.avsc");
        File.WriteAllText(primitive, "\"long\"");

        var (exit, output, _) = Invoke("policy", "validate", Policy("v1", PaymentFields), "--schema", primitive, "--schema", Path.Combine(_directory, "none.avsc"));

        exit.ShouldBe(1);
        output.ShouldContain("count.avsc: the top type is long, not a record");
        output.ShouldContain("none.avsc: file not found");
    }

    [Fact]
    public void Validate_SegmentsInOnlyOnePolicy_SaySo()
    {
        var previous = Policy("v1", PaymentFields, "old-payments");
        var policy = Policy("v2", PaymentFields, "payments");

        var (exit, output, error) = Invoke("policy", "validate", policy, "--schema", Sample("payment.avsc"), "--previous", previous);

        exit.ShouldBe(0, error);
        output.ShouldContain("    new topic: no segment of the previous policy writes it, so nothing to break");
        output.ShouldContain("  old-payments: only in the previous policy: nothing writes masked.old-payments any more");
    }

    [Fact]
    public void Validate_JsonOutputSegment_NotComparedExitZero()
    {
        var previous = Policy("v1", PaymentFields, output: "json");
        var policy = Policy("v2", PaymentFields.Replace("payment.amount: keep", "payment.amount: tokenize", StringComparison.Ordinal), output: "json");

        var (exit, output, error) = Invoke("policy", "validate", policy, "--schema", Sample("payment.avsc"), "--previous", previous);

        exit.ShouldBe(0, error);
        output.ShouldContain("  payments -> topic masked.payments (output json: no subject is registered)");
        output.ShouldContain("    output json: no subject is registered, nothing to check against the previous policy");
        output.ShouldNotContain("break:");
    }

    [Fact]
    public void Validate_OutputSwitchedFromJsonToAvro_WarnsNothingToBreak()
    {
        var previous = Policy("v1", PaymentFields, output: "json");
        var policy = Policy("v2", PaymentFields.Replace("payment.amount: keep", "payment.amount: tokenize", StringComparison.Ordinal));

        var (exit, output, error) = Invoke("policy", "validate", policy, "--schema", Sample("payment.avsc"), "--previous", previous);

        exit.ShouldBe(0, error);
        output.ShouldContain("    warning: the previous policy wrote JSON to this topic: its consumers now get Avro (a new subject: nothing to break)");
    }

    [Fact]
    public void Validate_SegmentRefusingTheSchema_ReasonAndExitOne()
    {
        var schema = Path.Combine(_directory, "lines.avsc");
        File.WriteAllText(schema, """
            { "type": "record", "name": "Order", "namespace": "t", "fields": [
              { "name": "id", "type": "string" },
              { "name": "lines", "type": { "type": "array", "items": { "type": "record", "name": "Line", "fields": [
                { "name": "holder", "type": "string", "confluent:tags": ["PII"] } ] } } } ] }
            """);

        var (exit, output, _) = Invoke("policy", "validate", Policy("v1", "      id: keep\n      lines: keep\n"), "--schema", schema);

        exit.ShouldBe(1);
        output.ShouldContain("    refused: lines.holder: tagged values inside 'lines', which 'lines' writes whole (keep)");
    }

    [Fact]
    public void Validate_PolicyPathThroughAnArray_CannotDeriveExitOne()
    {
        var schema = Path.Combine(_directory, "order.avsc");
        File.WriteAllText(schema, """
            { "type": "record", "name": "Order", "namespace": "t", "fields": [
              { "name": "lines", "type": { "type": "array", "items": { "type": "record", "name": "Line", "fields": [
                { "name": "sku", "type": "string" } ] } } } ] }
            """);

        var (exit, output, error) = Invoke("policy", "validate", Policy("v1", "      lines.sku: keep\n"), "--schema", schema);

        exit.ShouldBe(1);
        output.ShouldContain("    cannot derive the masked schema: Policy paths under 'lines' go through a Array schema");
        (output + error).ShouldNotContain("   at ");
    }

    [Fact]
    public void Validate_Segments_InOrdinalOrderOfName()
    {
        var path = Path.Combine(_directory, "two.yaml");
        File.WriteAllText(path, $"""
            version: "v1"
            maskedTopic: "masked.{"{segment}"}"
            segments:
              - name: zeta
                match: {"{ field: tenant, equals: z }"}
                fields: {"{ eventId: keep }"}
              - name: alpha
                match: {"{ field: tenant, equals: a }"}
                fields: {"{ eventId: keep }"}
            """);

        var (exit, output, error) = Invoke("policy", "validate", path, "--schema", Sample("payment.avsc"));

        exit.ShouldBe(0, error);
        Lines(output).Where(l => l.Contains("-> topic", StringComparison.Ordinal))
            .ShouldBe(["  alpha -> topic masked.alpha (output json: no subject is registered)", "  zeta -> topic masked.zeta (output json: no subject is registered)"]);
    }

    [Fact]
    public void Validate_PreviousWithoutSchema_ExitOne()
    {
        var policy = Policy("v1", PaymentFields);

        var (exit, _, error) = Invoke("policy", "validate", policy, "--previous", policy);

        exit.ShouldBe(1);
        error.ShouldContain("--schema");
    }

    [Fact]
    public void Validate_InvalidPreviousPolicy_ExitOneNamingIt()
    {
        var previous = Path.Combine(_directory, "old.yaml");
        File.WriteAllText(previous, "version: \"0\"\nsegments: []\nbogus: 1\n");

        var (exit, _, error) = Invoke("policy", "validate", Policy("v1", PaymentFields), "--schema", Sample("payment.avsc"), "--previous", previous);

        exit.ShouldBe(1);
        error.ShouldContain("old.yaml: the previous policy is invalid");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string VisitFields = """
              eventId: keep
              patient.id: tokenize
              visit.cost: keep
        """;

    private static string[] Lines(string text) => text.Split(Environment.NewLine);

    // One segment (Avro output unless told); the policy tokenizes fields tagged PII (payment.cardHolder in payment.avsc).
    private string Policy(string version, string fields, string segment = "payments", string output = "avro")
    {
        var path = Path.Combine(_directory, $"{segment}-{version}-{output}.yaml");
        File.WriteAllText(path, $"""
            version: "{version}"
            maskedTopic: "masked.{"{segment}"}"
            tags:
              PII: tokenize
            segments:
              - name: {segment}
                match: {"{ field: tenant, equals: clinic-a }"}
                output: {output}
                fields:
            {fields}
            """);
        return path;
    }
}

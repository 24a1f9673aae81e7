using System.Text.Json.Nodes;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Records;

namespace StreamMasking.Testing;

/// <summary>Policies for the tests: parsed from YAML, built around one segment, or derived from the shipped demo policy.</summary>
public static class TestPolicies
{
    /// <summary>A fixed 32-byte token secret.</summary>
    public static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    /// <summary>The shipped demo policy, as copied next to the test binary.</summary>
    public static string DemoPolicyPath => Path.Combine(AppContext.BaseDirectory, "policies", "demo.yaml");

    /// <summary>Parses <paramref name="yaml"/> and asserts it has no diagnostic at all.</summary>
    public static PrivacyPolicy Valid(string yaml)
    {
        var result = PolicyLoader.Parse(yaml, "test.yaml");
        result.Diagnostics.ShouldBeEmpty(string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }

    /// <summary>Parses <paramref name="yaml"/>, asserts it is refused and returns its diagnostics.</summary>
    public static IReadOnlyList<PolicyDiagnostic> Errors(string yaml)
    {
        var result = PolicyLoader.Parse(yaml, "bad.yaml");
        result.IsValid.ShouldBeFalse();
        result.Policy.ShouldBeNull();
        return result.Diagnostics;
    }

    public static RecordEnvelope Record(string json, string topic = "events", Dictionary<string, string>? headers = null) =>
        new(topic, headers, JsonNode.Parse(json)!.AsObject());

    /// <summary>Policy with one catch-all segment 's' and the given field rules (YAML lines indented under fields).</summary>
    public static PrivacyPolicy OneSegment(string fieldsYaml, string extraTop = "") => Valid($"""
        version: "1"
        {extraTop}
        segments:
          - name: s
            match: {"{"} all: [] {"}"}
            fields:
        {Indent(fieldsYaml, 6)}
        """);

    /// <summary>Masks <paramref name="json"/> with the first segment of <paramref name="policy"/>.</summary>
    public static MaskResult MaskOne(PrivacyPolicy policy, string json, byte[]? secret = null)
    {
        using var keyring = new TokenKeyring(secret ?? Secret);
        using var masker = new RecordMasker(policy, keyring);
        return masker.Mask(policy.Segments[0], Record(json));
    }

    /// <summary>A three-segment policy over invented patient records, with a unique masked-topic prefix per test.</summary>
    public static PrivacyPolicy ThreeSegments(string topicPrefix, string alphaOutput = "json", string tags = "{}")
    {
        var yaml = $$"""
            version: "test-7"
            maskedTopic: "{{topicPrefix}}.{segment}"
            tags: {{tags}}
            segments:
              - name: alpha
                match: { field: tenant, equals: alpha }
                output: {{alphaOutput}}
                fields: &fields
                  seq: keep
                  tenant: keep
                  patient.id: tokenize
                  patient.ssn: { action: partial, keepLast: 4 }
                  patient.age: { action: generalize, bucket: 10 }
                  # patient.name and notes are not named: they must never leave.
              - name: beta
                match: { field: tenant, equals: beta }
                fields: *fields
              - name: gamma
                match: { field: tenant, equals: gamma }
                fields: *fields
            """;
        var result = PolicyLoader.Parse(yaml, "test-policy.yaml");
        result.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, result.Diagnostics));
        return result.Policy!;
    }

    /// <summary>
    /// Writes the demo policy with every deliberate drop turned into a visible outcome (over-cap records published
    /// without noised fields, late records dead-lettered), so that each input record ends up on a masked or the
    /// dead-letter topic and a test can count them all there. Returns the file's path.
    /// </summary>
    public static string DemoWithoutDrops(string directory)
    {
        var text = File.ReadAllText(DemoPolicyPath);
        text.ShouldContain("overCap: drop");
        text.ShouldContain("late: drop");
        var path = Path.Combine(directory, "demo-without-drops.yaml");
        File.WriteAllText(path, text
            .Replace("overCap: drop", "overCap: strip-noised-fields", StringComparison.Ordinal)
            .Replace("late: drop", "late: dead-letter", StringComparison.Ordinal));
        return path;
    }

    /// <summary>
    /// The demo policy with clinic-b.eu.visits on an (ε, δ) budget instead of pure ε, so that one policy exercises
    /// every budget currency: ε (pure), ε and δ (approximate), ρ (zCDP). Returns the file's path.
    /// </summary>
    public static string DemoWithEveryBudgetKind(string directory)
    {
        var text = File.ReadAllText(DemoPolicyPath);
        const string pure = "      perWindow: { epsilon: 0.5 }\n      lifetime: { epsilon: 12 }\n";
        text.ShouldContain(pure);
        var path = Path.Combine(directory, "demo-every-budget-kind.yaml");
        File.WriteAllText(path, text.Replace(pure,
            "      perWindow: { epsilon: 0.5, delta: 1e-6 }\n      lifetime: { epsilon: 12, delta: 1e-5 }\n", StringComparison.Ordinal));
        return path;
    }

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(l => new string(' ', spaces) + l.TrimStart()));
}

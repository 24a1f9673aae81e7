using System.Text.Json.Nodes;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Records;

namespace StreamMasking.Core.Tests;

/// <summary>Helpers shared by the Core tests.</summary>
internal static class TestPolicies
{
    public static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    public static string RepoPath(params string[] parts)
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "policies", "demo.yaml")) && !Directory.Exists(Path.Combine(dir, ".git")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return Path.Combine([dir ?? throw new InvalidOperationException("repository root not found"), .. parts]);
    }

    public static PrivacyPolicy Valid(string yaml)
    {
        var result = PolicyLoader.Parse(yaml, "test.yaml");
        result.Diagnostics.ShouldBeEmpty(string.Join("\n", result.Diagnostics));
        return result.Policy!;
    }

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

    public static MaskOutcome MaskOne(PrivacyPolicy policy, string json, byte[]? secret = null)
    {
        using var keyring = new TokenKeyring(secret ?? Secret);
        using var masker = new RecordMasker(policy, keyring);
        return masker.Mask(policy.Segments[0], Record(json));
    }

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(l => new string(' ', spaces) + l.TrimStart()));
}

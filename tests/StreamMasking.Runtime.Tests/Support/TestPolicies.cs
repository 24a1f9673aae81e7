using StreamMasking.Core.Policy;

namespace StreamMasking.Runtime.Tests.Support;

/// <summary>A three-segment policy over invented patient records, with a unique masked-topic prefix per test.</summary>
internal static class TestPolicies
{
    internal static PrivacyPolicy ThreeSegments(string topicPrefix, string alphaOutput = "json", string tags = "{}")
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
}

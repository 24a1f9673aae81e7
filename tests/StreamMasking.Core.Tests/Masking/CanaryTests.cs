using System.Text.Json.Nodes;
using StreamMasking.Core.Masking;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Masking;

/// <summary>A unique canary in every sensitive field never appears in masked output.</summary>
public sealed class CanaryTests
{
    [Theory]
    [InlineData("tokenize")]
    [InlineData("drop")]
    [InlineData("{ action: partial, keepFirst: 2, keepLast: 2 }")]
    [InlineData("{ action: generalize, prefix: 6 }")]
    public void Mask_StringCanary_NeverInOutput(string action)
    {
        const string canary = "CANARY-7f3a9c1e-5b2d";
        var policy = TestPolicies.OneSegment($"secret: {action}\nnested.secret: {action}\nvisible: keep");

        var outcome = TestPolicies.MaskOne(policy, $$"""{"secret":"{{canary}}","nested":{"secret":"{{canary}}","other":"{{canary}}"},"visible":"ok","extra":"{{canary}}"}""");

        outcome.IsMasked.ShouldBeTrue();
        var text = outcome.Output!.ToJsonString();
        text.ShouldNotContain("7f3a9c1e");
        text.ShouldContain("\"visible\":\"ok\"");
    }

    [Theory]
    [InlineData("{ action: generalize, bucket: 1000 }")]
    [InlineData("{ action: generalize, bucket: 10, output: lower }")]
    [InlineData("tokenize")]
    [InlineData("{ action: partial, keepLast: 2 }")]
    public void Mask_NumericCanary_NeverInOutput(string action)
    {
        const string canary = "738291";
        var policy = TestPolicies.OneSegment($"n: {action}");

        var text = TestPolicies.MaskOne(policy, $$"""{"n":{{canary}},"m":{{canary}}}""").Output!.ToJsonString();

        text.ShouldNotContain(canary);
    }

    [Fact]
    public void Mask_DateCanary_TimeOfDayNeverInOutput()
    {
        var policy = TestPolicies.OneSegment("at: { action: generalize, truncate: day }");

        var text = TestPolicies.MaskOne(policy, """{"at":"2024-03-15T17:43:29.8831Z"}""").Output!.ToJsonString();

        text.ShouldNotContain("17:43");
        text.ShouldNotContain("8831");
    }

    [Fact]
    public void Mask_DemoPolicyWithCanariesEverywhereSensitive_LeaksNothing()
    {
        var policy = StreamMasking.Core.Policy.PolicyLoader.LoadFileOrThrow(RepositoryRoot.Of("policies", "demo.yaml"));
        using var keyring = new TokenKeyring(TestPolicies.Secret);
        using var masker = new RecordMasker(policy, keyring);
        var router = new StreamMasking.Core.Segmentation.SegmentRouter(policy);
        var canaries = new[] { "CNRY1Name", "CNRY2Ssn", "CNRY3Notes", "CNRY4Id", "CNRY5Holder" };
        foreach (var segment in policy.Segments)
        {
            var parts = segment.Name.Split('.');
            var json = segment.Name == "payments"
                ? $$$"""{"type":"payment","tenant":"clinic-a","region":"eu","patient":{"id":"CNRY4Id"},"payment":{"cardNumber":"4111CNRY6Card1111","cardHolder":"CNRY5Holder","amount":12.5,"currency":"EUR","at":"2026-01-02T03:04:05Z"}}"""
                : $$$"""{"type":"visit","tenant":"{{{parts[0]}}}","region":"{{{parts[1]}}}","patient":{"id":"CNRY4Id","name":"CNRY1Name","ssn":"CNRY2Ssn","birthDate":"1980-05-17","zip":"10115","age":43},"visit":{"at":"2026-11-23T13:45:12Z","notes":"CNRY3Notes","cost":10}}""";
            var record = new StreamMasking.Core.Records.RecordEnvelope(
                "events", null, System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject(), new StreamMasking.Core.Records.RecordCoordinates("events", 0, 1));
            router.Route(record).Segment.ShouldBeSameAs(segment);

            var outcome = masker.Mask(segment, record);

            outcome.IsMasked.ShouldBeTrue(outcome.ToString());
            var text = outcome.Output!.ToJsonString();
            text.ShouldNotContain("CNRY", Case.Sensitive, $"{segment.Name}: {text}");
            (outcome.Output["patient"]?["name"] is null || outcome.Output["patient"]!["name"]!.GetValue<string>().StartsWith("tok_", StringComparison.Ordinal))
                .ShouldBeTrue();
        }
    }

    [Fact]
    public void Mask_ReturnsNewObject_InputUntouched()
    {
        var policy = TestPolicies.OneSegment("a: keep\nb: tokenize");
        var record = TestPolicies.Record("""{"a":{"x":1},"b":"v","c":3}""");
        var before = record.Body.ToJsonString();
        using var keyring = new TokenKeyring(TestPolicies.Secret);

        using var masker = new RecordMasker(policy, keyring);
        var output = masker.Mask(policy.Segments[0], record).Output!;

        record.Body.ToJsonString().ShouldBe(before);
        ReferenceEquals(output["a"], record.Body["a"]).ShouldBeFalse();
        output.Parent.ShouldBeNull();
        _ = JsonNode.Parse(output.ToJsonString());
    }
}

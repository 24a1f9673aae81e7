using System.Text;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Reporting;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Masking;

/// <summary>
/// <c>key</c>: masked records keyed by a segment token (of a field, or of the input key), never by a raw value, so
/// downstream partitioning and compaction work without the raw key leaving.
/// </summary>
public sealed class OutputKeyTests
{
    private static PrivacyPolicy Policy(string key) => TestPolicies.Valid($$"""
        version: "1"
        segments:
          - name: north
            match: { field: region, equals: north }
            fields: { patient.id: tokenize, region: keep }
            key: {{key}}
          - name: south
            match: { field: region, equals: south }
            fields: { patient.id: tokenize, region: keep }
            key: {{key}}
        """);

    private static (bool Ok, string? Token, string? Failed, string? MaskedId) Key(
        PrivacyPolicy policy, string segment, string json, byte[]? inputKey)
    {
        using var keyring = new TokenKeyring(TestPolicies.Secret);
        using var masker = new RecordMasker(policy, keyring);
        var record = TestPolicies.Record(json);
        var ok = masker.TryOutputKey(policy.FindSegment(segment)!, record, inputKey, out var token, out var failed);
        var masked = masker.Mask(policy.FindSegment(segment)!, record).Output;
        return (ok, token, failed, masked?["patient"]?["id"]?.GetValue<string>());
    }

    [Fact]
    public void Parse_KeyForms_AreReadAndDefaultIsNone()
    {
        Policy("none").Segments[0].Key.ShouldBe(OutputKey.None);
        Policy("input-key").Segments[0].Key.Kind.ShouldBe(OutputKeyKind.InputKey);
        var field = Policy("{ field: patient.id }").Segments[0].Key;
        field.Kind.ShouldBe(OutputKeyKind.Field);
        field.Field!.Text.ShouldBe("patient.id");
        field.ToString().ShouldBe("{ field: patient.id }");
        TestPolicies.OneSegment("a: keep").Segments[0].Key.ShouldBe(OutputKey.None);
    }

    [Fact]
    public void Explain_KeyedSegment_SaysWhatRecordsAreLinkableBy()
    {
        PolicyExplainer.Explain(Policy("{ field: patient.id }"))
            .ShouldContain("  key: segment token of patient.id (records are linkable by it)");
        PolicyExplainer.Explain(Policy("input-key"))
            .ShouldContain("  key: segment token of the input key (records are linkable by it)");
        PolicyExplainer.Explain(Policy("none")).ShouldNotContain(l => l.StartsWith("  key:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("raw", "segments[0].key", "key must be 'none', 'input-key' or { field: <path> }")]
    [InlineData("{ field: 'a..b' }", "segments[0].key.field", "is not a field path")]
    [InlineData("{ fields: a }", "segments[0].key.fields", "unknown key 'fields'")]
    public void Parse_BadKey_IsAnErrorAtItsPath(string key, string path, string message)
    {
        var errors = TestPolicies.Errors($$"""
            version: "1"
            segments:
              - name: s
                match: { all: [] }
                fields: { a: keep }
                key: {{key}}
            """);

        errors.ShouldContain(e => e.Path == path && e.Message.Contains(message), string.Join("\n", errors));
    }

    [Fact]
    public void FieldKey_IsTheFieldsSegmentToken_TheSameTheBodyCarries()
    {
        var result = Key(Policy("{ field: patient.id }"), "north", """{"patient":{"id":"P-1"},"region":"north"}""", inputKey: null);

        result.Ok.ShouldBeTrue();
        result.Token.ShouldStartWith("tok_");
        result.Token.ShouldBe(result.MaskedId);
        result.Token.ShouldNotContain("P-1");
    }

    [Fact]
    public void FieldKey_TokensJoinInsideASegmentOnly()
    {
        var policy = Policy("{ field: patient.id }");
        var north = Key(policy, "north", """{"patient":{"id":"P-1"},"region":"north"}""", null).Token;
        var south = Key(policy, "south", """{"patient":{"id":"P-1"},"region":"south"}""", null).Token;
        var other = Key(policy, "north", """{"patient":{"id":"P-2"},"region":"north"}""", null).Token;

        north.ShouldNotBe(south);
        north.ShouldNotBe(other);
    }

    [Theory]
    [InlineData("""{"region":"north"}""")]
    [InlineData("""{"patient":{"id":{"nested":1}},"region":"north"}""")]
    [InlineData("""{"patient":{"id":null},"region":"north"}""")]
    public void FieldKey_FieldAbsentOrNotAScalar_FailsWithItsPath(string json)
    {
        var result = Key(Policy("{ field: patient.id }"), "north", json, inputKey: null);

        result.Ok.ShouldBeFalse();
        result.Token.ShouldBeNull();
        result.Failed.ShouldBe("patient.id");
    }

    [Fact]
    public void InputKey_IsTheTokenOfTheKeyBytes_EqualToTheTokenOfTheSameText()
    {
        var policy = Policy("input-key");
        var result = Key(policy, "north", """{"patient":{"id":"P-1"},"region":"north"}""", Encoding.UTF8.GetBytes("P-1"));

        result.Ok.ShouldBeTrue();
        result.Token.ShouldBe(result.MaskedId, "a key holding the id joins with the tokenized id");
        Key(policy, "north", """{"region":"north"}""", [0xff, 0x00, 0x7f]).Token.ShouldStartWith("tok_");
    }

    [Fact]
    public void InputKey_RecordWithoutKey_Fails()
    {
        var result = Key(Policy("input-key"), "north", """{"region":"north"}""", inputKey: null);

        result.Ok.ShouldBeFalse();
        result.Failed.ShouldBe("$key");
    }

    [Fact]
    public void NoKey_GivesNullAndSucceeds()
    {
        var result = Key(Policy("none"), "north", """{"region":"north"}""", Encoding.UTF8.GetBytes("P-1"));

        result.Ok.ShouldBeTrue();
        result.Token.ShouldBeNull();
    }
}

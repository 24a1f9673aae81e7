using System.Text.Json.Nodes;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Core.Masking;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Masking;

public sealed class FieldActionTests
{
    private static JsonNode? MaskValue(string action, string jsonValue)
    {
        var policy = TestPolicies.OneSegment($"v: {action}");
        var outcome = TestPolicies.MaskOne(policy, $$"""{"v": {{jsonValue}}}""");
        outcome.IsMasked.ShouldBeTrue(outcome.ToString());
        return outcome.Output!["v"];
    }

    private static MaskResult Outcome(string action, string jsonValue) =>
        TestPolicies.MaskOne(TestPolicies.OneSegment($"v: {action}"), $$"""{"v": {{jsonValue}}}""");

    [Theory]
    [InlineData("43", "10", "[40,50)")]
    [InlineData("40", "10", "[40,50)")]
    [InlineData("49.999", "10", "[40,50)")]
    [InlineData("0", "10", "[0,10)")]
    [InlineData("-5", "10", "[-10,0)")]
    [InlineData("-10", "10", "[-10,0)")]
    [InlineData("-10.5", "10", "[-20,-10)")]
    [InlineData("1.3", "0.25", "[1.25,1.5)")]
    [InlineData("4.3e1", "10", "[40,50)")]
    [InlineData("123456789", "1000000", "[123000000,124000000)")]
    public void Bucket_Range_FloorsIntoHalfOpenInterval(string value, string width, string expected) =>
        MaskValue($"{{ action: generalize, bucket: {width} }}", value)!.GetValue<string>().ShouldBe(expected);

    [Theory]
    [InlineData("43", "40")]
    [InlineData("-5", "-10")]
    [InlineData("7.5", "0")]
    public void Bucket_Lower_WritesLowerBoundAsNumber(string value, string expected) =>
        MaskValue("{ action: generalize, bucket: 10, output: lower }", value)!.ToJsonString().ShouldBe(expected);

    [Theory]
    [InlineData("\"43\"")]
    [InlineData("true")]
    [InlineData("{\"x\":1}")]
    [InlineData("[1]")]
    [InlineData("1e300")]
    public void Bucket_NotADecimalNumber_FailsClosed(string value)
    {
        var outcome = Outcome("{ action: generalize, bucket: 10 }", value);

        outcome.IsMasked.ShouldBeFalse();
        outcome.Output.ShouldBeNull();
        outcome.Reason.ShouldBe(DeadLetterReason.FieldActionFailed);
        outcome.FieldPath.ShouldBe("v");
    }

    [Theory]
    [InlineData("year", "\"2024-03-15T13:45:12Z\"", "2024-01-01T00:00:00Z")]
    [InlineData("month", "\"2024-03-15T13:45:12Z\"", "2024-03-01T00:00:00Z")]
    [InlineData("day", "\"2024-03-15T13:45:12.123456Z\"", "2024-03-15T00:00:00Z")]
    [InlineData("hour", "\"2024-03-15T13:45:12Z\"", "2024-03-15T13:00:00Z")]
    [InlineData("day", "\"2024-03-15T23:30:00-05:00\"", "2024-03-16T00:00:00Z")]
    [InlineData("hour", "\"2024-03-16T00:30:00+01:00\"", "2024-03-15T23:00:00Z")]
    [InlineData("year", "\"2025-01-01T00:30:00+01:00\"", "2024-01-01T00:00:00Z")]
    [InlineData("hour", "\"2024-03-15T13:45:12\"", "2024-03-15T13:00:00Z")]
    [InlineData("hour", "\"2024-03-15 13:45:12Z\"", "2024-03-15T13:00:00Z")]
    [InlineData("day", "\"2024-03-15T13:45+02:00\"", "2024-03-15T00:00:00Z")]
    [InlineData("month", "\"2024-02-29\"", "2024-02-01")]
    [InlineData("year", "\"2024-02-29\"", "2024-01-01")]
    [InlineData("hour", "\"2024-02-29\"", "2024-02-29")]
    public void Truncate_IsoText_TruncatesInUtc(string unit, string value, string expected) =>
        MaskValue($"{{ action: generalize, truncate: {unit} }}", value)!.GetValue<string>().ShouldBe(expected);

    [Fact]
    public void Truncate_EpochMillis_TruncatesToEpochMillis()
    {
        var instant = new DateTimeOffset(2024, 3, 15, 13, 45, 12, 345, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var expected = new DateTimeOffset(2024, 3, 15, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        MaskValue("{ action: generalize, truncate: day }", instant.ToString(System.Globalization.CultureInfo.InvariantCulture))!
            .GetValue<long>().ShouldBe(expected);
    }

    [Theory]
    [InlineData("\"2024-13-01\"")]
    [InlineData("\"2024-02-30T10:00:00Z\"")]
    [InlineData("\"15/03/2024\"")]
    [InlineData("\"yesterday\"")]
    [InlineData("\"\"")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("99999999999999999999")]
    public void Truncate_BadDate_FailsClosed(string value) =>
        Outcome("{ action: generalize, truncate: day }", value).Reason.ShouldBe(DeadLetterReason.FieldActionFailed);

    [Theory]
    [InlineData("\"SW1A 1AA\"", 3, "SW1")]
    [InlineData("\"AB\"", 3, "AB")]
    [InlineData("\"\"", 3, "")]
    [InlineData("\"👨‍👩‍👧abc\"", 1, "👨‍👩‍👧")]
    [InlineData("\"e\u0301tude\"", 2, "e\u0301t")]
    public void Prefix_KeepsLeadingCharacters(string value, int length, string expected) =>
        MaskValue($"{{ action: generalize, prefix: {length} }}", value)!.GetValue<string>().ShouldBe(expected);

    [Theory]
    [InlineData("10115")]
    [InlineData("false")]
    public void Prefix_NotAString_FailsClosed(string value) =>
        Outcome("{ action: generalize, prefix: 2 }", value).Reason.ShouldBe(DeadLetterReason.FieldActionFailed);

    [Theory]
    [InlineData("\"4111111111111111\"", "keepLast: 4", "************1111")]
    [InlineData("4111111111111111", "keepLast: 4", "************1111")]
    [InlineData("\"jane.doe@example.com\"", "keepFirst: 1, keepLast: 4", "j***************.com")]
    [InlineData("\"abc\"", "keepLast: 4", "***")]
    [InlineData("\"abcd\"", "keepLast: 4", "****")]
    [InlineData("\"abcd\"", "keepFirst: 2, keepLast: 2", "****")]
    [InlineData("\"abcde\"", "keepFirst: 2, keepLast: 2", "ab*de")]
    [InlineData("\"\"", "keepLast: 4", "")]
    [InlineData("\"secret\"", "keepFirst: 0, keepLast: 0", "******")]
    [InlineData("\"Zoë Ångström\"", "keepFirst: 2", "Zo**********")]
    [InlineData("\"😀😃😄😁😆\"", "keepFirst: 1, keepLast: 1", "😀***😆")]
    [InlineData("\"a👨‍👩‍👧b👍🏽c\"", "keepLast: 1", "****c")]
    [InlineData("\"e\u0301e\u0301e\u0301x\"", "keepFirst: 1", "e\u0301***")]
    public void Partial_MasksMiddleByUserPerceivedCharacters(string value, string options, string expected) =>
        MaskValue($"{{ action: partial, {options} }}", value)!.GetValue<string>().ShouldBe(expected);

    [Fact]
    public void Partial_CustomMaskChar_IsUsed() =>
        MaskValue("{ action: partial, keepLast: 2, maskChar: \"•\" }", "\"123456\"")!.GetValue<string>().ShouldBe("••••56");

    [Fact]
    public void Partial_DefaultMaskCharFromPolicyDefaults_IsUsed()
    {
        var policy = TestPolicies.OneSegment("v: { action: partial, keepLast: 1 }", "defaults: { maskChar: '#' }");

        TestPolicies.MaskOne(policy, """{"v":"abc"}""").Output!["v"]!.GetValue<string>().ShouldBe("##c");
    }

    [Theory]
    [InlineData("true")]
    [InlineData("{\"a\":\"b\"}")]
    [InlineData("[\"a\"]")]
    public void Partial_NotStringOrNumber_FailsClosed(string value) =>
        Outcome("{ action: partial, keepLast: 4 }", value).Reason.ShouldBe(DeadLetterReason.FieldActionFailed);

    [Fact]
    public void Keep_CopiesNestedObjectsAndArraysIndependentlyOfInput()
    {
        var policy = TestPolicies.OneSegment("v: keep");
        var record = TestPolicies.Record("""{"v":{"a":[1,{"b":"c"}]},"w":1}""");
        using var keyring = new TokenKeyring(TestPolicies.Secret);

        using var masker = new RecordMasker(policy, keyring);
        var output = masker.Mask(policy.Segments[0], record).Output!;

        output.ToJsonString().ShouldBe("""{"v":{"a":[1,{"b":"c"}]}}""");
        record.Body["v"]!["a"]!.AsArray().Add(2);
        output.ToJsonString().ShouldBe("""{"v":{"a":[1,{"b":"c"}]}}""");
    }

    [Fact]
    public void Drop_ExplicitAndUnnamedFields_AreAbsent()
    {
        var policy = TestPolicies.OneSegment("a: keep\nb: drop");

        TestPolicies.MaskOne(policy, """{"a":1,"b":2,"c":3}""").Output!.ToJsonString().ShouldBe("""{"a":1}""");
    }

    [Fact]
    public void Mask_NestedPaths_BuildNestedOutputInPolicyOrder()
    {
        var policy = TestPolicies.OneSegment("p.name: drop\np.age: { action: generalize, bucket: 10 }\np.addr.city: keep\nid: keep");

        var output = TestPolicies.MaskOne(policy, """{"id":7,"p":{"addr":{"city":"Oslo","street":"x"},"age":31,"name":"n"}}""").Output!;

        output.ToJsonString().ShouldBe("""{"p":{"age":"[30,40)","addr":{"city":"Oslo"}},"id":7}""");
    }

    [Fact]
    public void Mask_MissingFieldsAndParents_AreSimplyAbsent() =>
        TestPolicies.MaskOne(TestPolicies.OneSegment("a: keep\np.q: tokenize"), """{"z":1}""").Output!.Count.ShouldBe(0);

    [Fact]
    public void Mask_NullParent_IsAbsent() =>
        TestPolicies.MaskOne(TestPolicies.OneSegment("p.q: keep"), """{"p":null}""").Output!.Count.ShouldBe(0);

    [Fact]
    public void Mask_ParentIsNotAnObject_FailsAsSchemaMismatchWithPath()
    {
        var outcome = TestPolicies.MaskOne(TestPolicies.OneSegment("a: keep\np.q.r: keep"), """{"a":1,"p":{"q":"text"}}""");

        outcome.Reason.ShouldBe(DeadLetterReason.SchemaMismatch);
        outcome.FieldPath.ShouldBe("p.q");
    }

    [Theory]
    [InlineData("keep")]
    [InlineData("tokenize")]
    [InlineData("{ action: generalize, bucket: 5 }")]
    [InlineData("{ action: generalize, truncate: day }")]
    [InlineData("{ action: partial, keepLast: 2 }")]
    public void Mask_NullValue_StaysNullByDefault(string action) =>
        TestPolicies.MaskOne(TestPolicies.OneSegment($"v: {action}"), """{"v":null}""").Output!.ToJsonString().ShouldBe("""{"v":null}""");

    [Fact]
    public void Mask_NullValueWithNullsDrop_IsAbsent() =>
        TestPolicies.MaskOne(TestPolicies.OneSegment("v: tokenize", "defaults: { nulls: drop }"), """{"v":null}""")
            .Output!.Count.ShouldBe(0);

    [Fact]
    public void Mask_FirstFailingField_FailsWholeRecordAndNamesOnlyThePath()
    {
        var outcome = TestPolicies.MaskOne(
            TestPolicies.OneSegment("a: keep\nb.c: { action: generalize, bucket: 10 }"), """{"a":"ok","b":{"c":"CANARY-4711"}}""");

        outcome.IsMasked.ShouldBeFalse();
        outcome.FieldPath.ShouldBe("b.c");
        outcome.ToString().ShouldNotContain("CANARY");
    }

    [Fact]
    public void Mask_ValuesBuiltInCode_BehaveLikeParsedJson()
    {
        var policy = TestPolicies.OneSegment("""
            at: { action: generalize, truncate: day }
            id: tokenize
            c: { action: generalize, prefix: 1 }
            n: { action: generalize, bucket: 10 }
            """);
        using var keyring = new TokenKeyring(TestPolicies.Secret);
        using var masker = new RecordMasker(policy, keyring);
        var guid = Guid.Parse("8c6f0f3e-55a5-4a8e-9d3e-0f6c2b9b1a11");
        var built = new JsonObject
        {
            ["at"] = JsonValue.Create(new DateTimeOffset(2024, 3, 15, 23, 30, 0, TimeSpan.FromHours(-5))),
            ["id"] = JsonValue.Create(guid),
            ["c"] = JsonValue.Create('x'),
            ["n"] = JsonValue.Create(43L),
        };
        var parsed = JsonNode.Parse(built.ToJsonString())!.AsObject();

        var fromBuilt = masker.Mask(policy.Segments[0], new StreamMasking.Core.Records.RecordEnvelope("t", null, built));
        var fromParsed = masker.Mask(policy.Segments[0], new StreamMasking.Core.Records.RecordEnvelope("t", null, parsed));

        fromBuilt.IsMasked.ShouldBeTrue(fromBuilt.ToString());
        fromBuilt.Output!.ToJsonString().ShouldBe(fromParsed.Output!.ToJsonString());
        fromBuilt.Output["at"]!.GetValue<string>().ShouldBe("2024-03-16T00:00:00Z");
    }
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Masking;

public sealed partial class TokenizationTests
{
    private const string TwoSegments = """
        version: "1"
        segments:
          - name: north
            match: { field: region, equals: north }
            fields: { id: tokenize, region: keep }
          - name: south
            match: { field: region, equals: south }
            fields: { id: tokenize, region: keep }
        """;

    [GeneratedRegex("^tok_[A-Za-z0-9_-]{22}$")]
    private static partial Regex TokenFormat();

    private static string Token(PrivacyPolicy policy, string segment, string idJson, byte[]? secret = null)
    {
        using var keyring = new TokenKeyring(secret ?? TestPolicies.Secret);
        using var masker = new RecordMasker(policy, keyring);
        var outcome = masker.Mask(policy.FindSegment(segment)!, TestPolicies.Record($$"""{"id":{{idJson}},"region":"{{segment}}"}"""));
        outcome.IsMasked.ShouldBeTrue(outcome.ToString());
        return outcome.Output!["id"]!.GetValue<string>();
    }

    [Fact]
    public void Tokenize_SameValueSameSegment_SameToken()
    {
        var policy = TestPolicies.Valid(TwoSegments);

        Token(policy, "north", "\"P-1\"").ShouldBe(Token(policy, "north", "\"P-1\""));
        Token(policy, "north", "\"P-1\"").ShouldNotBe(Token(policy, "north", "\"P-2\""));
    }

    [Fact]
    public void Tokenize_SameValueDifferentSegments_DifferentTokens() =>
        Token(TestPolicies.Valid(TwoSegments), "north", "\"P-1\"").ShouldNotBe(Token(TestPolicies.Valid(TwoSegments), "south", "\"P-1\""));

    [Fact]
    public void Tokenize_DifferentMasterSecrets_DifferentTokens()
    {
        var policy = TestPolicies.Valid(TwoSegments);
        var other = TestPolicies.Secret.ToArray();
        other[^1] ^= 1;

        Token(policy, "north", "\"P-1\"").ShouldNotBe(Token(policy, "north", "\"P-1\"", other));
    }

    [Fact]
    public void Tokenize_SameSegmentNameInAnotherPolicyVersion_SameToken()
    {
        var next = TestPolicies.Valid(TwoSegments.Replace("version: \"1\"", "version: \"2\"", StringComparison.Ordinal));

        Token(TestPolicies.Valid(TwoSegments), "south", "\"P-1\"").ShouldBe(Token(next, "south", "\"P-1\""));
    }

    [Fact]
    public void Tokenize_Output_IsDocumentedFormatAndKnownAnswer()
    {
        var token = Token(TestPolicies.Valid(TwoSegments), "north", "\"P-1\"");

        // Independent computation of the documented construction.
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, TestPolicies.Secret, 32, [], Encoding.UTF8.GetBytes("streammasking/tokenize/v1/north"));
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("P-1"));
        token.ShouldBe("tok_" + Base64Url.EncodeToString(mac.AsSpan(0, 16)));
        TokenFormat().IsMatch(token).ShouldBeTrue(token);
        token.Length.ShouldBe(26);
    }

    [Theory]
    [InlineData("42", "42.0")]
    [InlineData("42", "4.2e1")]
    [InlineData("42", "\"42\"")]
    [InlineData("0.5", "5E-1")]
    [InlineData("-0", "0")]
    [InlineData("true", "\"true\"")]
    public void Tokenize_CanonicallyEqualValues_SameToken(string a, string b)
    {
        var policy = TestPolicies.Valid(TwoSegments);

        Token(policy, "north", a).ShouldBe(Token(policy, "north", b));
    }

    [Theory]
    [InlineData("\"42\"", "\"042\"")]
    [InlineData("\"P-1\"", "\"p-1\"")]
    [InlineData("\"P-1\"", "\"P-1 \"")]
    [InlineData("\"é\"", "\"e\u0301\"")]
    [InlineData("0.1", "0.10000000000000000000000000000001")]
    public void Tokenize_DifferentValues_DifferentTokens(string a, string b)
    {
        var policy = TestPolicies.Valid(TwoSegments);

        Token(policy, "north", a).ShouldNotBe(Token(policy, "north", b));
    }

    [Fact]
    public void Tokenize_LongUnicodeValue_Works()
    {
        var policy = TestPolicies.Valid(TwoSegments);
        var longValue = "\"" + string.Concat(Enumerable.Repeat("ü😀", 500)) + "\"";

        TokenFormat().IsMatch(Token(policy, "north", longValue)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("[1,2]")]
    public void Tokenize_ObjectOrArray_FailsClosed(string value)
    {
        var policy = TestPolicies.Valid(TwoSegments);
        using var keyring = new TokenKeyring(TestPolicies.Secret);

        using var masker = new RecordMasker(policy, keyring);
        var outcome = masker.Mask(policy.Segments[0], TestPolicies.Record($$"""{"id":{{value}}}"""));

        outcome.Reason.ShouldBe(StreamMasking.Core.DeadLetters.DeadLetterReason.FieldActionFailed);
        outcome.FieldPath.ShouldBe("id");
    }

    [Fact]
    public void Keyring_ShortSecret_ThrowsWithoutShowingIt()
    {
        var secret = Encoding.UTF8.GetBytes("hunter2-hunter2");

        var ex = Should.Throw<ArgumentException>(() => new TokenKeyring(secret));

        ex.Message.ShouldContain("at least 32 bytes");
        ex.Message.ShouldNotContain("hunter2");
    }

    [Fact]
    public void Keyring_ToStringAndMaskerDiagnostics_NeverShowKeys()
    {
        var secret = Encoding.UTF8.GetBytes("MASTER-SECRET-CANARY-0123456789abcdef");
        using var keyring = new TokenKeyring(secret);
        var policy = TestPolicies.Valid(TwoSegments);
        using var masker = new RecordMasker(policy, keyring);
        var key = keyring.SegmentKey("north");

        var texts = new[]
        {
            keyring.ToString(), masker.ToString()!, policy.ToString(), policy.Segments[0].ToString(),
            Should.Throw<ArgumentException>(() => masker.Mask(TestPolicies.Valid(TwoSegments).Segments[0], TestPolicies.Record("{}"))).Message,
        };

        foreach (var text in texts)
        {
            text.ShouldNotContain("CANARY");
            text.ShouldNotContain(Convert.ToHexString(key), Case.Insensitive);
            text.ShouldNotContain(Convert.ToBase64String(key));
        }
    }

    [Fact]
    public void Keyring_Dispose_ZeroesDerivedKeysAndRefusesMore()
    {
        var keyring = new TokenKeyring(TestPolicies.Secret);
        var key = keyring.SegmentKey("north");

        keyring.Dispose();

        key.ShouldAllBe(b => b == 0);
        Should.Throw<ObjectDisposedException>(() => keyring.SegmentKey("north"));
    }

    [Fact]
    public void Masker_ConcurrentUse_GivesSameTokensAsSequential()
    {
        var policy = TestPolicies.Valid(TwoSegments);
        using var keyring = new TokenKeyring(TestPolicies.Secret);
        using var masker = new RecordMasker(policy, keyring);
        var segment = policy.Segments[0];
        string Mask(int i) => masker.Mask(segment, TestPolicies.Record($$"""{"id":"P-{{i}}"}""")).Output!["id"]!.GetValue<string>();
        var sequential = Enumerable.Range(0, 2000).Select(Mask).ToArray();

        var parallel = new string[2000];
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Mask(i));

        parallel.ShouldBe(sequential);
        sequential.Distinct().Count().ShouldBe(2000);
    }

    [Fact]
    public void Masker_KeyringDisposedAfterConstruction_NewThreadsStillUseTheRightKey()
    {
        var policy = TestPolicies.Valid(TwoSegments);
        var expected = Token(policy, "north", "\"P-1\"");
        var keyring = new TokenKeyring(TestPolicies.Secret);
        using var masker = new RecordMasker(policy, keyring);
        keyring.Dispose();

        string? fromThread = null;
        var thread = new Thread(() => fromThread = masker.Mask(policy.Segments[0], TestPolicies.Record("""{"id":"P-1"}""")).Output!["id"]!.GetValue<string>());
        thread.Start();
        thread.Join();

        fromThread.ShouldBe(expected);
    }
}

using StreamMasking.Privacy.Identity;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Identity;

public sealed class NoiseIdentityTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(7, 32).Select(i => (byte)i)];

    private static NoiseIdentity Base(double epsilon = 0.5, double upper = 100) => NoiseIdentity.For("window-release", "sum")
        .With(NoiseParameters.Laplace(epsilon))
        .With("clamp", new ClampBounds(0, upper))
        .Policy("hash-1")
        .Of("segment", "s")
        .Of("window", 3);

    [Fact]
    public void Label_EveryParameterPolicyAndSubject_ChangesTheLabel()
    {
        var label = Base().Label;
        string[] others =
        [
            Base(epsilon: 0.25).Label,
            Base(upper: 200).Label,
            NoiseIdentity.For("window-release", "count").With(NoiseParameters.Laplace(0.5)).With("clamp", new ClampBounds(0, 100)).Policy("hash-1").Of("segment", "s").Of("window", 3).Label,
            NoiseIdentity.For("window-release", "sum").With(NoiseParameters.Laplace(0.5)).With("clamp", new ClampBounds(0, 100)).Policy("hash-2").Of("segment", "s").Of("window", 3).Label,
            NoiseIdentity.For("window-release", "sum").With(NoiseParameters.Laplace(0.5)).With("clamp", new ClampBounds(0, 100)).Policy("hash-1").Of("segment", "s").Of("window", 4).Label,
            NoiseIdentity.For("continual-total", "sum").With(NoiseParameters.Laplace(0.5)).With("clamp", new ClampBounds(0, 100)).Policy("hash-1").Of("segment", "s").Of("window", 3).Label,
        ];

        others.ShouldAllBe(o => o != label);
        others.Distinct().Count().ShouldBe(others.Length);
    }

    [Fact]
    public void Label_ParameterOrderAndNegativeZero_AreCanonical()
    {
        var a = NoiseIdentity.For("p", "m").With("b", 1.0).With("a", 0.0).Policy("h").Of("x", "1").Label;
        var b = NoiseIdentity.For("p", "m").With("a", -0.0).With("b", 1.0).Policy("h").Of("x", "1").Label;
        a.ShouldBe(b);
    }

    [Fact]
    public void Label_CategoryOrder_IsPartOfTheMechanism()
    {
        NoiseIdentity.For("p", "rr").With("categories", ["a", "b"]).Policy("h").Of("x", "1").Label
            .ShouldNotBe(NoiseIdentity.For("p", "rr").With("categories", ["b", "a"]).Policy("h").Of("x", "1").Label);
    }

    [Fact]
    public void Label_WithoutPolicyHashOrSubject_Refused()
    {
        Should.Throw<InvalidOperationException>(() => NoiseIdentity.For("p", "m").Of("x", "1").Label);
        Should.Throw<InvalidOperationException>(() => NoiseIdentity.For("p", "m").Policy("h").Label);
        Should.Throw<ArgumentException>(() => NoiseIdentity.For("p", "m").With("a", 1.0).With("a", 2.0));
        Should.Throw<ArgumentException>(() => NoiseIdentity.For("p", "m").With("a", double.NaN));
    }

    [Fact]
    public void Stream_SameIdentity_SameBytes_OtherIdentity_OtherBytes()
    {
        Base().Stream(Key).NextUInt64().ShouldBe(Base().Stream(Key).NextUInt64());
        Base().Stream(Key).NextUInt64().ShouldNotBe(Base(epsilon: 1).Stream(Key).NextUInt64());
    }

    [Fact]
    public void Digest_IsKeyedAndBoundToTheIdentity()
    {
        var digest = Base().Digest(Key, [1, 2, 3]);
        digest.Length.ShouldBe(16);
        Base().Digest(Key, [1, 2, 3]).ShouldBe(digest);
        Base().Digest(Key, [1, 2, 4]).ShouldNotBe(digest);
        Base(epsilon: 1).Digest(Key, [1, 2, 3]).ShouldNotBe(digest);
        Base().Digest([.. Key.Reverse()], [1, 2, 3]).ShouldNotBe(digest);
    }

    [Theory]
    [InlineData("visits", "3", "17", "cost")]
    [InlineData("", "0", "0", "a.b")]
    [InlineData("t:with;separators", "-1", "9223372036854775807", "ünïcode")]
    public void Freeze_SameSubject_SameLabelAndDigestAsTheFullIdentity(string topic, string partition, string offset, string field)
    {
        var prefix = NoiseIdentity.For("event-noise", "laplace").With("epsilon", 0.5).With("clamp", new ClampBounds(0, 100)).Policy("hash-1").Freeze();
        NoiseIdentity Full() => NoiseIdentity.For("event-noise", "laplace").With("epsilon", 0.5).With("clamp", new ClampBounds(0, 100)).Policy("hash-1")
            .Of("topic", topic).Of("partition", partition).Of("offset", offset).Of("field", field);
        byte[] value = [1, 2, 3];

        prefix.Label("topic", topic, "partition", partition, "offset", offset, "field", field).ShouldBe(Full().Label);
        prefix.Digest(Key, value, "topic", topic, "partition", partition, "offset", offset, "field", field).ShouldBe(Full().Digest(Key, value));
    }

    [Theory]
    [InlineData("visits", "3", "17", "cost", 1)]
    [InlineData("", "0", "0", "a.b", 4)]
    [InlineData("t:with;separators", "-1", "9223372036854775807", "ünïcode 𝄞", 12)]
    public void FrozenStream_SameDrawsAsTheStreamOfTheLabelString(string topic, string partition, string offset, string field, int pairs)
    {
        // The frozen identity writes the label's UTF-8 bytes itself (no string): they must be exactly the string's,
        // including non-ASCII parts, empty parts and a pair count of two digits.
        var prefix = NoiseIdentity.For("event-noise", "laplace").With("epsilon", 0.5).With("clamp", new ClampBounds(-1, 1e9)).Policy("hash-2").Freeze();
        string[] subject = [.. Enumerable.Range(0, pairs).SelectMany(i => i switch
        {
            0 => new[] { "topic", topic },
            1 => ["partition", partition],
            2 => ["offset", offset],
            _ => ["field" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), field],
        })];
        byte[] value = [9, 8, 7, 6];

        var frozen = prefix.Stream(Key, subject);
        var reference = new KeyedRandomSource(Key, prefix.Label(subject));

        Enumerable.Range(0, 40).Select(_ => frozen.NextUInt64()).ShouldBe(Enumerable.Range(0, 40).Select(_ => reference.NextUInt64()));
        prefix.Digest(Key, value, subject).ShouldBe(NoiseIdentity.DigestOf(Key, prefix.Label(subject), value));
    }

    [Fact]
    public void Digest_FixedIdentityKeyAndValue_IsPinned()
    {
        // The digest keys replays of released values in the state store: it must not change between versions (the
        // value is HMAC-SHA256 over domain, label length, label and value, computed independently of this code).
        Convert.ToHexStringLower(Base().Digest(Key, [1, 2, 3])).ShouldBe("594cbd54eb5059182aec040df19d384d");
        // Repeated and interleaved with another key: the per-thread keyed HMAC is reset between calls.
        Base().Digest([.. Key.Reverse()], [1, 2, 3]).ShouldNotBe(Base().Digest(Key, [1, 2, 3]));
        Base().Digest(Key, [1, 2, 3]).ShouldBe(Base().Digest(Key, [1, 2, 3]));
    }

    [Fact]
    public void Freeze_WithoutPolicyOrAfterASubject_Throws()
    {
        Should.Throw<InvalidOperationException>(() => NoiseIdentity.For("p", "m").Freeze());
        Should.Throw<InvalidOperationException>(() => NoiseIdentity.For("p", "m").Policy("h").Of("x", "1").Freeze());
        Should.Throw<ArgumentException>(() => NoiseIdentity.For("p", "m").Policy("h").Freeze().Label("odd"));
    }
}

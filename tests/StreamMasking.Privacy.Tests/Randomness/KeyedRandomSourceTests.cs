using System.Security.Cryptography;
using System.Text;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Randomness;

public class KeyedRandomSourceTests
{
    private static readonly byte[] s_key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static ulong[] Draw(KeyedRandomSource source, int count) =>
        Enumerable.Range(0, count).Select(_ => source.NextUInt64()).ToArray();

    /// <summary>
    /// The stream is exactly the documented construction, rebuilt here from the platform's HMAC and AES. Noise
    /// streams must never change silently: a replayed record re-masked with different noise for the same value would
    /// let an observer average the two. Changing the construction needs a new domain version and a migration note.
    /// </summary>
    [Fact]
    public void NextBytes_FirstBlocks_AreTheDocumentedConstruction()
    {
        const string domain = "StreamMasking.KeyedRandomSource/v2\0";
        var nonceKey = HMACSHA256.HashData(s_key, Encoding.UTF8.GetBytes(domain + "nonce"));
        var streamKey = HMACSHA256.HashData(s_key, Encoding.UTF8.GetBytes(domain + "stream"));
        var tag = new byte[16];
        new Aes256(nonceKey).Cmac(Encoding.UTF8.GetBytes("segment/7/count"), tag);
        var counterBlocks = new byte[48];
        for (var i = 0; i < 3; i++)
        {
            tag.AsSpan(0, 12).CopyTo(counterBlocks.AsSpan(16 * i));
            counterBlocks[(16 * i) + 12] = (byte)i;
        }

        using var aes = Aes.Create();
        aes.Key = streamKey;
        var expected = aes.EncryptEcb(counterBlocks, PaddingMode.None);
        var actual = new byte[48];

        new KeyedRandomSource(s_key, "segment/7/count").NextBytes(actual);

        actual.ShouldBe(expected);
        Convert.ToHexStringLower(actual.AsSpan(0, 16)).ShouldBe("800a62efc49612ed366ba211b2ab3db0");
    }

    [Fact]
    public void FromLabelPrefix_EveryPrefixAndRestLengthAroundBlocks_SameStreamAsTheWholeLabel()
    {
        // The prefix's whole blocks are absorbed ahead; what is left of it joins the rest: lengths 1–48 and 1–40
        // cover a prefix ending inside, at and after a block, and a rest completing the last block or not.
        var random = new Random(42);
        var key = new byte[32];
        random.NextBytes(key);
        var label = new byte[88];
        random.NextBytes(label);
        for (var prefixLength = 1; prefixLength <= 48; prefixLength++)
        {
            var prefix = KeyedRandomSource.AbsorbLabelPrefix(key, label.AsSpan(0, prefixLength));
            if (prefix is null)
            {
                return; // no AES-NI: the whole label is always hashed
            }

            for (var restLength = 1; restLength <= 40; restLength++)
            {
                var split = KeyedRandomSource.FromLabelPrefix(key, prefix, label.AsSpan(prefixLength, restLength));
                var whole = KeyedRandomSource.FromUtf8Label(key, label.AsSpan(0, prefixLength + restLength));
                split.NextUInt64().ShouldBe(whole.NextUInt64(), $"prefix {prefixLength}, rest {restLength}");
            }
        }
    }

    [Fact]
    public void FromLabelPrefix_AnotherKey_Throws()
    {
        var prefix = KeyedRandomSource.AbsorbLabelPrefix(Enumerable.Repeat((byte)1, 32).ToArray(), "prefix;"u8);
        if (prefix is not null)
        {
            Should.Throw<ArgumentException>(() => KeyedRandomSource.FromLabelPrefix(Enumerable.Repeat((byte)2, 32).ToArray(), prefix, "rest"u8));
        }
    }

    [Fact]
    public void NextUInt64_SameKeyAndLabel_SameStream()
    {
        var label = KeyedRandomSource.ComposeLabel("segment-a", "window-17", "count", "v3");
        Draw(new KeyedRandomSource(s_key, label), 5000).ShouldBe(Draw(new KeyedRandomSource(s_key, label), 5000));
    }

    [Fact]
    public void NextUInt64_DifferentLabelOrKey_IndependentStreams()
    {
        var a = Draw(new KeyedRandomSource(s_key, KeyedRandomSource.ComposeLabel("seg", "w1")), 64);
        var b = Draw(new KeyedRandomSource(s_key, KeyedRandomSource.ComposeLabel("seg", "w2")), 64);
        var otherKey = s_key.Select(x => (byte)(x ^ 0x80)).ToArray();
        var c = Draw(new KeyedRandomSource(otherKey, KeyedRandomSource.ComposeLabel("seg", "w1")), 64);
        a.Intersect(b).ShouldBeEmpty();
        a.Intersect(c).ShouldBeEmpty();
    }

    [Fact]
    public void ComposeLabel_AmbiguousSplits_Differ()
    {
        KeyedRandomSource.ComposeLabel("a/b", "c").ShouldNotBe(KeyedRandomSource.ComposeLabel("a", "b/c"));
        KeyedRandomSource.ComposeLabel("ab", "").ShouldNotBe(KeyedRandomSource.ComposeLabel("a", "b"));
    }

    [Fact]
    public void NextBytes_InterleavedWithNextUInt64_IsDeterministic()
    {
        static byte[] Run()
        {
            var source = new KeyedRandomSource(s_key, "mixed");
            var output = new List<byte>();
            for (var i = 0; i < 300; i++)
            {
                var bytes = new byte[i % 13];
                source.NextBytes(bytes);
                output.AddRange(bytes);
                output.AddRange(BitConverter.GetBytes(source.NextUInt64()));
            }

            return output.ToArray();
        }

        Run().ShouldBe(Run());
    }

    // Bit balance over 64·10^5 bits within 5 standard errors: false-failure rate below 6e-7.
    [Fact]
    public void NextUInt64_BitBalance_IsFair()
    {
        var source = new KeyedRandomSource(s_key, "balance");
        const int n = 100_000;
        long ones = 0;
        for (var i = 0; i < n; i++)
        {
            ones += System.Numerics.BitOperations.PopCount(source.NextUInt64());
        }

        const double bits = 64.0 * n;
        Math.Abs(ones - (bits / 2)).ShouldBeLessThan(5 * Math.Sqrt(bits / 4));
    }

    [Fact]
    public void Constructor_ShortKey_Throws() =>
        Should.Throw<ArgumentException>(() => new KeyedRandomSource(new byte[8], "x"));
}

using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Randomness;

public class KeyedRandomSourceTests
{
    private static readonly byte[] s_key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private static ulong[] Draw(KeyedRandomSource source, int count) =>
        Enumerable.Range(0, count).Select(_ => source.NextUInt64()).ToArray();

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

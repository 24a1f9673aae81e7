using BenchmarkDotNet.Attributes;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Benchmarks.Randomness;

/// <summary>
/// Cost of one keyed noise stream as releases use it: derive the stream for a fresh label, then draw a few words
/// (a memoized randomized-response report or a continual-counter step needs one stream per label).
/// </summary>
[MemoryDiagnoser]
public class KeyedSourceBenchmarks
{
    private readonly byte[] _key = Enumerable.Repeat((byte)5, 32).ToArray();
    private int _label;

    [Benchmark]
    public ulong NewStreamAndFourDraws()
    {
        var source = new KeyedRandomSource(_key, "segment/window/" + _label++);
        return source.NextUInt64() ^ source.NextUInt64() ^ source.NextUInt64() ^ source.NextUInt64();
    }
}

[MemoryDiagnoser]
public class KeyedSourcePartsBenchmarks
{
    private readonly byte[] _key = Enumerable.Repeat((byte)5, 32).ToArray();
    private readonly byte[] _blocks = new byte[128];
    private readonly byte[] _out = new byte[128];
    private readonly System.Security.Cryptography.Aes _aes = System.Security.Cryptography.Aes.Create();

    [GlobalSetup]
    public void Setup() => _aes.Key = _key;

    [Benchmark]
    public byte[] Hmac() => System.Security.Cryptography.HMACSHA256.HashData(_key, _blocks.AsSpan(0, 40));

    [Benchmark]
    public int EcbEightBlocksCachedKey() => _aes.EncryptEcb(_blocks, _out, System.Security.Cryptography.PaddingMode.None);
}

using System.Numerics;

namespace StreamMasking.Privacy.Randomness;

/// <summary>
/// Deterministic xoshiro256** generator seeded through SplitMix64. <b>For tests and benchmarks only</b>: its output
/// is predictable from the seed, so noise drawn from it gives no privacy. Never use it in a release path.
/// Not thread-safe.
/// </summary>
public sealed class SeededRandomSource : IRandomSource
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a generator whose whole output is determined by <paramref name="seed"/>.</summary>
    public SeededRandomSource(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <inheritdoc />
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <inheritdoc />
    public void NextBytes(Span<byte> destination)
    {
        while (destination.Length >= sizeof(ulong))
        {
            BitConverter.TryWriteBytes(destination, NextUInt64());
            destination = destination[sizeof(ulong)..];
        }

        if (!destination.IsEmpty)
        {
            Span<byte> last = stackalloc byte[sizeof(ulong)];
            BitConverter.TryWriteBytes(last, NextUInt64());
            last[..destination.Length].CopyTo(destination);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

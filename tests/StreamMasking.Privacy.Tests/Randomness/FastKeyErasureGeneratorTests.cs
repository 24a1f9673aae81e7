using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Randomness;

/// <summary>The fast-key-erasure AES-256-CTR generator against the platform's AES, and its erasure of served state.</summary>
public class FastKeyErasureGeneratorTests
{
    private const int RefillBytes = FastKeyErasureGenerator.BlocksPerRefill * 16;
    private const int ServedPerRefill = RefillBytes - FastKeyErasureGenerator.KeyBytes;

    [SkippableFact]
    public void NextBytes_ThreeRefills_MatchPlatformAesCtrWithKeyChaining()
    {
        Skip.IfNot(FastKeyErasureGenerator.IsSupported, "The generator needs AES-NI.");
        var seed = RandomNumberGenerator.GetBytes(32);
        var expected = PlatformKeystream(seed, refills: 3);
        var generator = new FastKeyErasureGenerator(seed);
        var actual = new byte[expected.Length];

        // Odd-sized reads cross the refill boundaries at arbitrary offsets.
        for (var offset = 0; offset < actual.Length;)
        {
            var take = Math.Min(37, actual.Length - offset);
            generator.NextBytes(actual.AsSpan(offset, take));
            offset += take;
        }

        actual.ShouldBe(expected);
    }

    [SkippableFact]
    public void NextUInt64_FirstWords_AreTheKeystreamLittleEndian()
    {
        Skip.IfNot(FastKeyErasureGenerator.IsSupported, "The generator needs AES-NI.");
        var seed = RandomNumberGenerator.GetBytes(32);
        var expected = PlatformKeystream(seed, refills: 2);
        var generator = new FastKeyErasureGenerator(seed);

        // 508 whole words per refill: the second refill starts exactly at its own served bytes.
        for (var word = 0; word < 2 * ServedPerRefill / 8; word++)
        {
            generator.NextUInt64().ShouldBe(BitConverter.ToUInt64(expected, word * 8));
        }
    }

    [SkippableFact]
    public void ExpandKey_Fips197AppendixA3_KnownAnswerThroughEncryption()
    {
        Skip.IfNot(FastKeyErasureGenerator.IsSupported, "The generator needs AES-NI.");

        // FIPS-197 appendix A.3 key; the last round key w[56..59] is fe4890d1 e6188d0b 046df344 706c631e.
        var key = Convert.FromHexString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        var roundKeys = new Vector128<byte>[15];

        FastKeyErasureGenerator.ExpandKey(key, roundKeys);

        var last = new byte[16];
        roundKeys[14].CopyTo(last);
        Convert.ToHexStringLower(last).ShouldBe("fe4890d1e6188d0b046df344706c631e");
    }

    [SkippableFact]
    public void State_AfterServing_HoldsNothingServedAndNoEarlierKey()
    {
        Skip.IfNot(FastKeyErasureGenerator.IsSupported, "The generator needs AES-NI.");
        var seed = RandomNumberGenerator.GetBytes(32);
        var generator = new FastKeyErasureGenerator(seed);
        var served = new byte[(2 * ServedPerRefill) + 200];
        generator.NextBytes(served);

        var state = generator.CopyState();

        // No 16-byte window of anything served, nor the seed, survives anywhere in the state.
        var windows = new HashSet<string>();
        for (var i = 0; i + 16 <= served.Length; i += 8)
        {
            windows.Add(Convert.ToHexString(served, i, 16));
        }

        windows.Add(Convert.ToHexString(seed, 0, 16));
        windows.Add(Convert.ToHexString(seed, 16, 16));
        for (var i = 0; i + 16 <= state.Length; i++)
        {
            windows.ShouldNotContain(Convert.ToHexString(state, i, 16));
        }

        // The buffer region is zero up to the read position: served bytes and the next key are erased.
        var buffer = state.AsSpan(state.Length - RefillBytes);
        buffer[..(FastKeyErasureGenerator.KeyBytes + 200)].ToArray().ShouldAllBe(b => b == 0);

        // A generator started from the round-0 key of the state (the current key) produces only future output.
        var currentKey = state[..32];
        var fromState = new FastKeyErasureGenerator(currentKey);
        var next = new byte[ServedPerRefill];
        fromState.NextBytes(next);
        Convert.ToHexString(served).ShouldNotContain(Convert.ToHexString(next, 0, 16));
    }

    [SkippableFact]
    public void SecureRandomSource_UsesTheGeneratorPerThread_DistinctAcrossThreads()
    {
        Skip.IfNot(FastKeyErasureGenerator.IsSupported, "The generator needs AES-NI.");

        // Each thread seeds its own generator from the OS: 8 × 20,000 words, all distinct (a repeat among 160,000
        // uniform 64-bit values has probability below 7e-10).
        var values = new System.Collections.Concurrent.ConcurrentBag<ulong>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            var local = new ulong[20_000];
            for (var i = 0; i < local.Length; i++)
            {
                local[i] = SecureRandomSource.Instance.NextUInt64();
            }

            foreach (var value in local)
            {
                values.Add(value);
            }
        });
        values.Distinct().Count().ShouldBe(160_000);
    }

    [SkippableFact]
    public void Constructor_WrongSeedLength_Throws()
    {
        Skip.IfNot(FastKeyErasureGenerator.IsSupported, "The generator needs AES-NI.");
        Should.Throw<ArgumentException>(() => new FastKeyErasureGenerator(new byte[16]));
    }

    private static byte[] PlatformKeystream(byte[] seed, int refills)
    {
        var key = seed;
        var served = new List<byte>();
        using var platform = Aes.Create();
        for (var refill = 0; refill < refills; refill++)
        {
            // AES_k(0), AES_k(1), … with 128-bit little-endian counters; the first 32 bytes are the next key.
            var counters = new byte[RefillBytes];
            for (var block = 0; block < FastKeyErasureGenerator.BlocksPerRefill; block++)
            {
                counters[block * 16] = (byte)block;
            }

            platform.Key = key;
            var stream = platform.EncryptEcb(counters, PaddingMode.None);
            key = stream[..32];
            served.AddRange(stream[32..]);
        }

        return [.. served];
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace StreamMasking.Privacy.Randomness;

/// <summary>
/// A user-space cryptographic generator: AES-256 in counter mode with fast key erasure (Bernstein, "Fast-key-erasure
/// random-number generators", 2017). Each refill encrypts the counters 0, 1, …, <see cref="BlocksPerRefill"/> − 1
/// under the current key; the first 32 bytes of that keystream become the next key and are erased from the buffer at
/// once, the rest is served, and every served byte is zeroed as it leaves. A key encrypts one refill only, so the
/// counters never repeat under a key. Forward secrecy: the state held at any moment (the current key's round keys
/// and the not-yet-served bytes) determines nothing that was served before, because the previous key is gone and AES
/// cannot be run backwards from its output to the key.
/// </summary>
/// <remarks>
/// Requires AES-NI (<see cref="IsSupported"/>); the key schedule uses AESKEYGENASSIST, so no step indexes memory by a
/// secret. Not thread-safe: <see cref="SecureRandomSource"/> keeps one instance per thread, each seeded separately
/// from the operating system's generator.
/// </remarks>
internal sealed class FastKeyErasureGenerator
{
    /// <summary>Blocks encrypted per refill: 2 become the next key, 254 (4,064 bytes) are served.</summary>
    internal const int BlocksPerRefill = 256;

    internal const int KeyBytes = 32;

    private const int Rounds = 14;
    private const int BufferBytes = BlocksPerRefill * 16;

    private readonly Vector128<byte>[] _roundKeys = new Vector128<byte>[Rounds + 1];
    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _position;

    /// <summary>Starts from the 32-byte <paramref name="seed"/> (the first key); the caller erases its copy.</summary>
    internal FastKeyErasureGenerator(ReadOnlySpan<byte> seed)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("The fast-key-erasure generator needs AES-NI.");
        }

        if (seed.Length != KeyBytes)
        {
            throw new ArgumentException("The seed is one 32-byte AES-256 key.", nameof(seed));
        }

        ExpandKey(seed, _roundKeys);
        Refill();
    }

    /// <summary>Whether this CPU can run the generator.</summary>
    internal static bool IsSupported => X86Aes.IsSupported && Sse2.IsSupported;

    /// <summary>A generator seeded with 32 bytes from <see cref="RandomNumberGenerator"/>.</summary>
    internal static FastKeyErasureGenerator FromOperatingSystem()
    {
        Span<byte> seed = stackalloc byte[KeyBytes];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return new FastKeyErasureGenerator(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The next 8 bytes of output, read little-endian.</summary>
    internal ulong NextUInt64()
    {
        if (_position > BufferBytes - sizeof(ulong))
        {
            Refill();
        }

        // AES-NI implies x86, so the platform is little-endian; the position was checked just above.
        ref var slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position);
        var value = Unsafe.ReadUnaligned<ulong>(ref slot);
        Unsafe.WriteUnaligned(ref slot, 0UL);
        _position += sizeof(ulong);
        return value;
    }

    /// <summary>The next <paramref name="destination"/>.Length bytes of output.</summary>
    internal void NextBytes(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_position == BufferBytes)
            {
                Refill();
            }

            var take = Math.Min(destination.Length, BufferBytes - _position);
            var served = _buffer.AsSpan(_position, take);
            served.CopyTo(destination);
            served.Clear();
            _position += take;
            destination = destination[take..];
        }
    }

    /// <summary>For tests: the whole state the generator holds (round keys, then the buffer), as bytes.</summary>
    internal byte[] CopyState()
    {
        var state = new byte[((Rounds + 1) * 16) + BufferBytes];
        for (var r = 0; r <= Rounds; r++)
        {
            _roundKeys[r].CopyTo(state.AsSpan(r * 16, 16));
        }

        _buffer.CopyTo(state, (Rounds + 1) * 16);
        return state;
    }

    private void Refill()
    {
        // A tail shorter than a word is discarded; it was never served, so zeroing it is all that is needed.
        CryptographicOperations.ZeroMemory(_buffer.AsSpan(_position));
        var keys = _roundKeys;
        EncryptCounters();

        // The first 32 bytes become the next key: expand them over the old schedule, then erase them.
        var nextKey = _buffer.AsSpan(0, KeyBytes);
        ExpandKey(nextKey, keys);
        CryptographicOperations.ZeroMemory(nextKey);
        _position = KeyBytes;
    }

    private void EncryptCounters()
    {
        var keys = _roundKeys;
        for (var block = 0; block < BlocksPerRefill; block += 8)
        {
            // Eight independent blocks in flight keep the AES units busy.
            var s0 = Counter(block) ^ keys[0];
            var s1 = Counter(block + 1) ^ keys[0];
            var s2 = Counter(block + 2) ^ keys[0];
            var s3 = Counter(block + 3) ^ keys[0];
            var s4 = Counter(block + 4) ^ keys[0];
            var s5 = Counter(block + 5) ^ keys[0];
            var s6 = Counter(block + 6) ^ keys[0];
            var s7 = Counter(block + 7) ^ keys[0];
            for (var r = 1; r < Rounds; r++)
            {
                var key = keys[r];
                s0 = X86Aes.Encrypt(s0, key);
                s1 = X86Aes.Encrypt(s1, key);
                s2 = X86Aes.Encrypt(s2, key);
                s3 = X86Aes.Encrypt(s3, key);
                s4 = X86Aes.Encrypt(s4, key);
                s5 = X86Aes.Encrypt(s5, key);
                s6 = X86Aes.Encrypt(s6, key);
                s7 = X86Aes.Encrypt(s7, key);
            }

            var last = keys[Rounds];
            var output = _buffer.AsSpan(block * 16, 128);
            X86Aes.EncryptLast(s0, last).CopyTo(output);
            X86Aes.EncryptLast(s1, last).CopyTo(output[16..]);
            X86Aes.EncryptLast(s2, last).CopyTo(output[32..]);
            X86Aes.EncryptLast(s3, last).CopyTo(output[48..]);
            X86Aes.EncryptLast(s4, last).CopyTo(output[64..]);
            X86Aes.EncryptLast(s5, last).CopyTo(output[80..]);
            X86Aes.EncryptLast(s6, last).CopyTo(output[96..]);
            X86Aes.EncryptLast(s7, last).CopyTo(output[112..]);
        }
    }

    // Counter block i: a 128-bit little-endian integer (the low 32 bits suffice for 256 blocks).
    private static Vector128<byte> Counter(int block) => Vector128.CreateScalar((uint)block).AsByte();

    /// <summary>The AES-256 key schedule (FIPS-197 §5.2) computed with AESKEYGENASSIST, written into <paramref name="roundKeys"/>.</summary>
    internal static void ExpandKey(ReadOnlySpan<byte> key, Span<Vector128<byte>> roundKeys)
    {
        var even = Vector128.Create(key[..16]);
        var odd = Vector128.Create(key.Slice(16, 16));
        roundKeys[0] = even;
        roundKeys[1] = odd;
        even = NextEven(even, X86Aes.KeygenAssist(odd, 0x01));
        roundKeys[2] = even;
        odd = NextOdd(odd, even);
        roundKeys[3] = odd;
        even = NextEven(even, X86Aes.KeygenAssist(odd, 0x02));
        roundKeys[4] = even;
        odd = NextOdd(odd, even);
        roundKeys[5] = odd;
        even = NextEven(even, X86Aes.KeygenAssist(odd, 0x04));
        roundKeys[6] = even;
        odd = NextOdd(odd, even);
        roundKeys[7] = odd;
        even = NextEven(even, X86Aes.KeygenAssist(odd, 0x08));
        roundKeys[8] = even;
        odd = NextOdd(odd, even);
        roundKeys[9] = odd;
        even = NextEven(even, X86Aes.KeygenAssist(odd, 0x10));
        roundKeys[10] = even;
        odd = NextOdd(odd, even);
        roundKeys[11] = odd;
        even = NextEven(even, X86Aes.KeygenAssist(odd, 0x20));
        roundKeys[12] = even;
        odd = NextOdd(odd, even);
        roundKeys[13] = odd;
        roundKeys[14] = NextEven(even, X86Aes.KeygenAssist(odd, 0x40));
    }

    // w[i..i+3] from w[i−8..i−5] and RotWord/SubWord of w[i−1] ⊕ Rcon (lane 3 of the assist).
    private static Vector128<byte> NextEven(Vector128<byte> previous, Vector128<byte> assist)
    {
        var broadcast = Sse2.Shuffle(assist.AsInt32(), 0xFF).AsByte();
        return PrefixXor(previous) ^ broadcast;
    }

    // w[i+4..i+7] from w[i−4..i−1] and SubWord of w[i+3] (lane 2 of the assist, no rotation, no Rcon).
    private static Vector128<byte> NextOdd(Vector128<byte> previous, Vector128<byte> even)
    {
        var broadcast = Sse2.Shuffle(X86Aes.KeygenAssist(even, 0x00).AsInt32(), 0xAA).AsByte();
        return PrefixXor(previous) ^ broadcast;
    }

    // Lane j becomes the XOR of lanes 0..j (each new word XORs in the one before it).
    private static Vector128<byte> PrefixXor(Vector128<byte> value)
    {
        var shifted = Sse2.ShiftLeftLogical128BitLane(value, 4);
        value ^= shifted;
        shifted = Sse2.ShiftLeftLogical128BitLane(shifted, 4);
        value ^= shifted;
        shifted = Sse2.ShiftLeftLogical128BitLane(shifted, 4);
        return value ^ shifted;
    }
}

using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace StreamMasking.Privacy.Randomness;

/// <summary>
/// AES-256 block encryption (FIPS-197) under one expanded key, with AES-NI when the CPU has it and the platform's
/// AES (OpenSSL) otherwise; both give identical bytes. Expanding the key once and encrypting in-process is what
/// makes a short keyed noise stream cheap: the platform's one-shot calls cost microseconds each. Immutable after
/// construction, so one instance may serve several threads.
/// </summary>
internal sealed class Aes256
{
    private const int Rounds = 14;

    private static readonly byte[] s_sbox = BuildSbox();

    private readonly Vector128<byte>[]? _roundKeys;
    private readonly byte[] _key;

    // CMAC subkeys K1 and K2 (SP 800-38B §6.1), derived once per key on the AES-NI path.
    private readonly Vector128<byte> _cmacK1;
    private readonly Vector128<byte> _cmacK2;

    internal Aes256(ReadOnlySpan<byte> key)
        : this(key, allowHardware: true)
    {
    }

    /// <param name="key">32 bytes.</param>
    /// <param name="allowHardware">False forces the platform path (tests compare both).</param>
    internal Aes256(ReadOnlySpan<byte> key, bool allowHardware)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("AES-256 needs a 32-byte key.", nameof(key));
        }

        _key = key.ToArray();
        if (allowHardware && X86Aes.IsSupported)
        {
            var expanded = Expand(key);
            _roundKeys = new Vector128<byte>[Rounds + 1];
            for (var r = 0; r <= Rounds; r++)
            {
                _roundKeys[r] = Vector128.Create(expanded, r * 16);
            }

            Span<byte> subkey = stackalloc byte[16];
            EncryptBlock(Vector128<byte>.Zero).CopyTo(subkey); // L = E(K, 0^128)
            DoubleInField(subkey);
            _cmacK1 = Vector128.Create((ReadOnlySpan<byte>)subkey);
            DoubleInField(subkey);
            _cmacK2 = Vector128.Create((ReadOnlySpan<byte>)subkey);
        }
    }

    /// <summary>Whether blocks are encrypted with AES-NI in process (otherwise by the platform's AES).</summary>
    internal bool IsHardwareAccelerated => _roundKeys is not null;

    /// <summary>Encrypts whole 16-byte blocks (ECB: each block independently); lengths must match.</summary>
    internal void EncryptBlocks(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length % 16 != 0 || output.Length != input.Length)
        {
            throw new ArgumentException("Whole 16-byte blocks of equal length are required.", nameof(input));
        }

        if (_roundKeys is null)
        {
            using var platform = Aes.Create();
            platform.Key = _key;
            platform.EncryptEcb(input, output, PaddingMode.None);
            return;
        }

        for (var offset = 0; offset < input.Length; offset += 16)
        {
            EncryptBlock(Vector128.Create(input.Slice(offset, 16))).CopyTo(output.Slice(offset, 16));
        }
    }

    /// <summary>
    /// AES-CMAC (NIST SP 800-38B) of <paramref name="message"/>: a pseudo-random function of the message under this
    /// key, 16 bytes.
    /// </summary>
    internal void Cmac(ReadOnlySpan<byte> message, Span<byte> tag)
    {
        if (_roundKeys is not null)
        {
            CmacFinish(Vector128<byte>.Zero, message).CopyTo(tag);
            return;
        }

        Span<byte> block = stackalloc byte[16];
        Span<byte> subkey = stackalloc byte[16];
        Span<byte> state = stackalloc byte[16];
        block.Clear();
        EncryptBlocks(block, subkey);             // L = E(K, 0^128)
        DoubleInField(subkey);                    // K1
        var complete = message.Length > 0 && message.Length % 16 == 0;
        if (!complete)
        {
            DoubleInField(subkey);                // K2
        }

        var blocks = Math.Max(1, (message.Length + 15) / 16);
        state.Clear();
        for (var i = 0; i < blocks; i++)
        {
            var start = i * 16;
            var take = Math.Min(16, message.Length - start);
            block.Clear();
            message.Slice(start, Math.Max(0, take)).CopyTo(block);
            if (i == blocks - 1)
            {
                if (!complete)
                {
                    block[Math.Max(0, take)] = 0x80;
                }

                Xor(block, subkey);
            }

            Xor(state, block);
            EncryptBlocks(state, state);
        }

        state.CopyTo(tag);
    }

    // The same CMAC with the chaining state in a register: a label's blocks cost one AES-NI encryption each, not a
    // round of span copies and byte loops around it (labels run to a few hundred bytes, one per noised value).
    /// <summary>
    /// The CMAC chaining state after the whole 16-byte blocks of a message's beginning (<paramref name="wholeBlocks"/>,
    /// a multiple of 16 bytes, none of them the message's last block); AES-NI path only. With
    /// <see cref="CmacFinish"/> on the rest of the message it gives <see cref="Cmac"/> of the whole, so a fixed
    /// beginning (a label prefix) is absorbed once.
    /// </summary>
    internal Vector128<byte> CmacAbsorb(ReadOnlySpan<byte> wholeBlocks)
    {
        if (_roundKeys is null || wholeBlocks.Length % 16 != 0)
        {
            throw new InvalidOperationException("Only whole blocks on the AES-NI path can be absorbed ahead.");
        }

        var state = Vector128<byte>.Zero;
        for (var offset = 0; offset < wholeBlocks.Length; offset += 16)
        {
            state = EncryptBlock(state ^ Vector128.Create(wholeBlocks.Slice(offset, 16)));
        }

        return state;
    }

    /// <summary>The tag of a message from the state after its absorbed beginning (<see cref="CmacAbsorb"/>) and the rest.</summary>
    internal Vector128<byte> CmacFinish(Vector128<byte> state, ReadOnlySpan<byte> message)
    {
        if (_roundKeys is null)
        {
            throw new InvalidOperationException("The register CMAC needs the AES-NI path.");
        }

        var complete = message.Length > 0 && message.Length % 16 == 0;
        var blocks = Math.Max(1, (message.Length + 15) / 16);
        for (var i = 0; i < blocks - 1; i++)
        {
            state = EncryptBlock(state ^ Vector128.Create(message.Slice(i * 16, 16)));
        }

        Span<byte> last = stackalloc byte[16];
        last.Clear();
        var rest = message[((blocks - 1) * 16)..];
        rest.CopyTo(last);
        if (!complete)
        {
            last[rest.Length] = 0x80;
        }

        return EncryptBlock(state ^ Vector128.Create((ReadOnlySpan<byte>)last) ^ (complete ? _cmacK1 : _cmacK2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<byte> EncryptBlock(Vector128<byte> block)
    {
        var keys = _roundKeys!;
        var state = block ^ keys[0];
        for (var r = 1; r < Rounds; r++)
        {
            state = X86Aes.Encrypt(state, keys[r]);
        }

        return X86Aes.EncryptLast(state, keys[Rounds]);
    }

    // FIPS-197 §5.2 key expansion for Nk = 8: 60 words, serialised big-endian (the byte order AES-NI round keys use).
    private static byte[] Expand(ReadOnlySpan<byte> key)
    {
        var words = new uint[4 * (Rounds + 1)];
        for (var i = 0; i < 8; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt32BigEndian(key.Slice(4 * i, 4));
        }

        uint rcon = 0x01;
        for (var i = 8; i < words.Length; i++)
        {
            var temp = words[i - 1];
            if (i % 8 == 0)
            {
                temp = SubWord((temp << 8) | (temp >> 24)) ^ (rcon << 24);
                rcon = (rcon << 1) ^ ((rcon & 0x80) != 0 ? 0x11bu : 0u);
            }
            else if (i % 8 == 4)
            {
                temp = SubWord(temp);
            }

            words[i] = words[i - 8] ^ temp;
        }

        var bytes = new byte[words.Length * 4];
        for (var i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), words[i]);
        }

        return bytes;
    }

    private static uint SubWord(uint word) =>
        ((uint)s_sbox[word >> 24] << 24) | ((uint)s_sbox[(word >> 16) & 0xff] << 16)
        | ((uint)s_sbox[(word >> 8) & 0xff] << 8) | s_sbox[word & 0xff];

    // The S-box from its definition: multiplicative inverse in GF(2^8) followed by the affine map (FIPS-197 §5.1.1).
    private static byte[] BuildSbox()
    {
        var sbox = new byte[256];
        for (var x = 0; x < 256; x++)
        {
            var inverse = x == 0 ? 0 : Inverse((byte)x);
            var s = inverse;
            for (var shift = 1; shift <= 4; shift++)
            {
                s ^= (byte)((inverse << shift) | (inverse >> (8 - shift)));
            }

            sbox[x] = (byte)(s ^ 0x63);
        }

        return sbox;
    }

    private static byte Inverse(byte x)
    {
        // x^254 = x^-1 in GF(2^8).
        byte result = 1;
        var power = x;
        for (var e = 254; e > 0; e >>= 1)
        {
            if ((e & 1) != 0)
            {
                result = Multiply(result, power);
            }

            power = Multiply(power, power);
        }

        return result;
    }

    private static byte Multiply(byte a, byte b)
    {
        var product = 0;
        int x = a;
        for (var i = 0; i < 8; i++)
        {
            if ((b & (1 << i)) != 0)
            {
                product ^= x;
            }

            x <<= 1;
            if ((x & 0x100) != 0)
            {
                x ^= 0x11b;
            }
        }

        return (byte)product;
    }

    // Multiplication by x in GF(2^128) with the SP 800-38B constant R_128 = 0x87.
    private static void DoubleInField(Span<byte> value)
    {
        var carry = (value[0] & 0x80) != 0;
        for (var i = 0; i < 15; i++)
        {
            value[i] = (byte)((value[i] << 1) | (value[i + 1] >> 7));
        }

        value[15] = (byte)(value[15] << 1);
        if (carry)
        {
            value[15] ^= 0x87;
        }
    }

    private static void Xor(Span<byte> into, ReadOnlySpan<byte> other)
    {
        for (var i = 0; i < 16; i++)
        {
            into[i] ^= other[i];
        }
    }
}

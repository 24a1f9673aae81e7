using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;

namespace StreamMasking.Privacy.Randomness;

/// <summary>
/// A deterministic pseudo-random stream: AES-256 in counter mode under the stream key HMAC-SHA256(key, domain ‖
/// "stream"), blocks nonce ‖ counter (96-bit nonce, 32-bit little-endian block counter), where the nonce is the first
/// 12 bytes of AES-CMAC(HMAC-SHA256(key, domain ‖ "nonce"), label): a pseudo-random function of the label, so
/// streams of different labels are independent (a nonce collision needs about 2^48 labels under one key). The same key and label always give the same stream, so a value that is
/// re-released after a crash or a replay gets exactly the same noise instead of fresh noise (fresh noise on replay
/// would let an observer average it away and silently double the privacy spend). Different labels give independent
/// streams, which is why the label must name everything that makes a release distinct: segment, window, metric,
/// policy version (see <see cref="ComposeLabel"/>). Not thread-safe.
/// </summary>
/// <remarks>
/// Security rests on the secrecy of <c>key</c>: anyone holding it can recompute the noise and remove it.
/// </remarks>
public sealed class KeyedRandomSource : IRandomSource
{
    private const int FirstBlockCount = 8;
    private const int MaxBlockCount = 256;
    private const int NonceBytes = 12;
    private const int CachedKeysPerThread = 32;
    private static readonly byte[] s_domain = Encoding.UTF8.GetBytes("StreamMasking.KeyedRandomSource/v2\0");

    // Expanded ciphers of the keys this thread used last: a stream per label then costs one CMAC over the label and
    // a few AES blocks, all in process. (The platform's one-shot HMAC and AES calls cost microseconds each.)
    [ThreadStatic]
    private static List<(byte[] Key, Aes256 Nonce, Aes256 Stream)>? t_ciphers;

    private readonly Aes256 _stream;
    private readonly byte[] _nonce = new byte[NonceBytes];
    private byte[] _buffer = [];
    private int _position;
    private ulong _nextBlock;

    /// <summary>Creates the stream for <paramref name="label"/> under <paramref name="key"/> (at least 16 bytes).</summary>
    public KeyedRandomSource(ReadOnlySpan<byte> key, string label)
        : this(key, Encoding.UTF8.GetBytes(label ?? throw new ArgumentNullException(nameof(label))))
    {
    }

    private KeyedRandomSource(ReadOnlySpan<byte> key, ReadOnlySpan<byte> labelUtf8)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException("A noise key needs at least 16 bytes (128 bits).", nameof(key));
        }

        var (nonceCipher, stream) = Ciphers(key);
        _stream = stream;
        Span<byte> tag = stackalloc byte[16];
        nonceCipher.Cmac(labelUtf8, tag);
        tag[..NonceBytes].CopyTo(_nonce);
    }

    private KeyedRandomSource(Aes256 stream, Vector128<byte> tag)
    {
        _stream = stream;
        Span<byte> bytes = stackalloc byte[16];
        tag.CopyTo(bytes);
        bytes[..NonceBytes].CopyTo(_nonce);
    }

    /// <summary>The stream of the label whose UTF-8 bytes are <paramref name="labelUtf8"/>: the same stream as the string label's.</summary>
    internal static KeyedRandomSource FromUtf8Label(ReadOnlySpan<byte> key, ReadOnlySpan<byte> labelUtf8) => new(key, labelUtf8);

    /// <summary>
    /// A label beginning absorbed under <paramref name="key"/>'s nonce cipher (its whole blocks but the last, so
    /// that what follows always completes it), or null without AES-NI. Streams of labels that start with it then
    /// cost only the blocks of their own ending (<see cref="FromLabelPrefix"/>).
    /// </summary>
    internal static LabelPrefix? AbsorbLabelPrefix(ReadOnlySpan<byte> key, ReadOnlySpan<byte> prefixUtf8)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException("A noise key needs at least 16 bytes (128 bits).", nameof(key));
        }

        var (nonceCipher, stream) = Ciphers(key);
        if (!nonceCipher.IsHardwareAccelerated || prefixUtf8.IsEmpty)
        {
            return null;
        }

        var whole = (prefixUtf8.Length - 1) / 16 * 16;
        return new LabelPrefix(key.ToArray(), nonceCipher, stream, nonceCipher.CmacAbsorb(prefixUtf8[..whole]), prefixUtf8[whole..].ToArray());
    }

    /// <summary>
    /// The stream of the label <paramref name="prefix"/> ‖ <paramref name="restUtf8"/> under <paramref name="key"/> (the
    /// key the prefix was absorbed under): the same stream as <see cref="FromUtf8Label"/> of the whole label.
    /// </summary>
    internal static KeyedRandomSource FromLabelPrefix(ReadOnlySpan<byte> key, LabelPrefix prefix, ReadOnlySpan<byte> restUtf8)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!prefix.IsFor(key))
        {
            throw new ArgumentException("The label prefix was absorbed under another key.", nameof(key));
        }

        var length = prefix.Pending.Length + restUtf8.Length;
        Span<byte> rest = length <= 1024 ? stackalloc byte[length] : new byte[length];
        prefix.Pending.CopyTo(rest);
        restUtf8.CopyTo(rest[prefix.Pending.Length..]);
        return new KeyedRandomSource(prefix.StreamCipher, prefix.NonceCipher.CmacFinish(prefix.State, rest));
    }

    /// <summary>
    /// A label beginning absorbed under one key: the key's two ciphers (immutable, so shared between threads; no
    /// look-up per stream), the chaining state and the bytes after its last whole block.
    /// </summary>
    internal sealed class LabelPrefix
    {
        private readonly byte[] _key;

        internal LabelPrefix(byte[] key, Aes256 nonceCipher, Aes256 streamCipher, Vector128<byte> state, byte[] pending)
        {
            _key = key;
            NonceCipher = nonceCipher;
            StreamCipher = streamCipher;
            State = state;
            Pending = pending;
        }

        internal Aes256 NonceCipher { get; }

        internal Aes256 StreamCipher { get; }

        internal Vector128<byte> State { get; }

        internal byte[] Pending { get; }

        internal bool IsFor(ReadOnlySpan<byte> key) => key.SequenceEqual(_key);
    }

    /// <summary>
    /// Joins label parts unambiguously (each part is length-prefixed), so that ("a/b", "c") and ("a", "b/c") differ.
    /// </summary>
    public static string ComposeLabel(params ReadOnlySpan<string> parts)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            AppendLabelPart(builder, part);
        }

        return builder.ToString();
    }

    /// <summary>Appends one part as <see cref="ComposeLabel"/> writes it (length, ':', part, ';').</summary>
    internal static void AppendLabelPart(StringBuilder builder, string part)
    {
        ArgumentNullException.ThrowIfNull(part);
        builder.Append(part.Length).Append(':').Append(part).Append(';');
    }

    /// <inheritdoc />
    public ulong NextUInt64()
    {
        if (_position > _buffer.Length - sizeof(ulong))
        {
            Refill();
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(_position));
        _position += sizeof(ulong);
        return value;
    }

    /// <inheritdoc />
    public void NextBytes(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_position >= _buffer.Length)
            {
                Refill();
            }

            var take = Math.Min(destination.Length, _buffer.Length - _position);
            _buffer.AsSpan(_position, take).CopyTo(destination);
            _position += take;
            destination = destination[take..];
        }
    }

    private void Refill()
    {
        // Most releases need a few dozen bytes, so the first block batch is small; later batches grow for throughput.
        var blocks = _buffer.Length == 0 ? FirstBlockCount : MaxBlockCount;
        var counters = new byte[blocks * 16];
        for (var i = 0; i < blocks; i++)
        {
            var block = counters.AsSpan(i * 16, 16);
            _nonce.CopyTo(block);
            // 2^32 blocks (64 GiB) per label at most: the checked cast refuses to wrap into reused keystream.
            BinaryPrimitives.WriteUInt32LittleEndian(block[NonceBytes..], checked((uint)(_nextBlock + (ulong)i)));
        }

        _nextBlock += (ulong)blocks;
        var output = new byte[counters.Length];
        _stream.EncryptBlocks(counters, output);
        _buffer = output;
        _position = 0;
    }

    private static (Aes256 Nonce, Aes256 Stream) Ciphers(ReadOnlySpan<byte> key)
    {
        var cache = t_ciphers ??= new List<(byte[], Aes256, Aes256)>(CachedKeysPerThread);
        foreach (var (cachedKey, nonce, stream) in cache)
        {
            if (key.SequenceEqual(cachedKey))
            {
                return (nonce, stream);
            }
        }

        if (cache.Count == CachedKeysPerThread)
        {
            cache.RemoveAt(0);
        }

        var entry = (key.ToArray(), new Aes256(Derive(key, "nonce")), new Aes256(Derive(key, "stream")));
        cache.Add(entry);
        return (entry.Item2, entry.Item3);
    }

    private static byte[] Derive(ReadOnlySpan<byte> key, string purpose)
    {
        var purposeBytes = Encoding.UTF8.GetBytes(purpose);
        var message = new byte[s_domain.Length + purposeBytes.Length];
        s_domain.CopyTo(message, 0);
        purposeBytes.CopyTo(message, s_domain.Length);
        return HMACSHA256.HashData(key, message);
    }
}

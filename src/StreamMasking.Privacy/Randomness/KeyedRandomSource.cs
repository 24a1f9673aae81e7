using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace StreamMasking.Privacy.Randomness;

/// <summary>
/// A deterministic pseudo-random stream: AES-256 in counter mode under a key derived as
/// HMAC-SHA256(key, domain ‖ label). The same key and label always give the same stream, so a value that is
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
    private static readonly byte[] s_domain = Encoding.UTF8.GetBytes("StreamMasking.KeyedRandomSource/v1\0");

    private readonly byte[] _aesKey;
    private byte[] _buffer = [];
    private int _position;
    private ulong _nextBlock;

    /// <summary>Creates the stream for <paramref name="label"/> under <paramref name="key"/> (at least 16 bytes).</summary>
    public KeyedRandomSource(ReadOnlySpan<byte> key, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (key.Length < 16)
        {
            throw new ArgumentException("A noise key needs at least 16 bytes (128 bits).", nameof(key));
        }

        var labelBytes = Encoding.UTF8.GetBytes(label);
        var message = new byte[s_domain.Length + labelBytes.Length];
        s_domain.CopyTo(message, 0);
        labelBytes.CopyTo(message, s_domain.Length);
        _aesKey = HMACSHA256.HashData(key, message);
    }

    /// <summary>
    /// Joins label parts unambiguously (each part is length-prefixed), so that ("a/b", "c") and ("a", "b/c") differ.
    /// </summary>
    public static string ComposeLabel(params ReadOnlySpan<string> parts)
    {
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            ArgumentNullException.ThrowIfNull(part);
            builder.Append(part.Length).Append(':').Append(part).Append(';');
        }

        return builder.ToString();
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
            BinaryPrimitives.WriteUInt64LittleEndian(counters.AsSpan(i * 16), checked(_nextBlock + (ulong)i));
        }

        _nextBlock += (ulong)blocks;
        using var aes = Aes.Create();
        aes.Key = _aesKey;
        var output = new byte[counters.Length];
        aes.EncryptEcb(counters, output, PaddingMode.None);
        _buffer = output;
        _position = 0;
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace StreamMasking.Core.Masking;

/// <summary>
/// Derives per-segment tokenization keys from one master secret:
/// <c>key = HKDF-SHA256(ikm = master secret, salt = empty, info = "streammasking/tokenize/v1/" + segment name, 32 bytes)</c>.
/// Event-level noise keys are derived the same way with <see cref="NoiseInfoPrefix"/>.
/// Different segments get independent keys, so tokens join inside a segment and never across segments.
/// Keys never appear in <see cref="ToString"/>, exceptions or logs. Thread-safe.
/// </summary>
public sealed class TokenKeyring : IDisposable
{
    /// <summary>The shortest accepted master secret (32 bytes = 256 bits).</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>The HKDF info prefix; the segment name follows it.</summary>
    public const string InfoPrefix = "streammasking/tokenize/v1/";

    /// <summary>The HKDF info prefix of event-level noise keys (distinct from tokenization); the segment name follows it.</summary>
    public const string NoiseInfoPrefix = "streammasking/event-noise/v1/";

    private const int KeyBytes = 32;

    private readonly byte[] _master;
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _noiseKeys = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Copies the master secret (at least <see cref="MinimumSecretBytes"/> bytes).</summary>
    public TokenKeyring(ReadOnlySpan<byte> masterSecret)
    {
        if (masterSecret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException(
                $"The tokenization master secret must be at least {MinimumSecretBytes} bytes.", nameof(masterSecret));
        }

        _master = masterSecret.ToArray();
    }

    /// <summary>The derived key of a segment (cached). Internal: only the masking engine handles keys.</summary>
    internal byte[] SegmentKey(string segmentName)
    {
        ArgumentNullException.ThrowIfNull(segmentName);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _keys.GetOrAdd(segmentName, static (name, master) => HKDF.DeriveKey(
            HashAlgorithmName.SHA256, master, KeyBytes, salt: [], info: Encoding.UTF8.GetBytes(InfoPrefix + name)), _master);
    }

    /// <summary>
    /// The derived event-level noise key of a segment (cached): HKDF-SHA256 with info <see cref="NoiseInfoPrefix"/> +
    /// segment name, so noise keys are independent of token keys and of other segments' noise keys.
    /// </summary>
    internal byte[] NoiseKey(string segmentName)
    {
        ArgumentNullException.ThrowIfNull(segmentName);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _noiseKeys.GetOrAdd(segmentName, static (name, master) => HKDF.DeriveKey(
            HashAlgorithmName.SHA256, master, KeyBytes, salt: [], info: Encoding.UTF8.GetBytes(NoiseInfoPrefix + name)), _master);
    }

    /// <summary>Zeroes the master secret and derived keys.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CryptographicOperations.ZeroMemory(_master);
        foreach (var key in _keys.Values.Concat(_noiseKeys.Values))
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Never shows key material.</summary>
    public override string ToString() => "TokenKeyring(keys hidden)";
}

using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Identity;

/// <summary>
/// The one identity rule for every deterministic noise stream and every keyed digest: a label that commits to
/// (a) the mechanism and all its parameters, (b) the canonical DP-content hash of the policy the value is released
/// under, and (c) what is released (segment, window, aggregate; record coordinates and field; counter step …).
/// </summary>
/// <remarks>
/// Why all three: a noise stream that is reused for a second value, or for the same value under a second mechanism,
/// lets an observer cancel the noise (two discrete Laplace draws ⌊t·E⌋ with the same E and sign solve exactly for the
/// value). The label therefore changes whenever anything that shapes the output changes; equal labels happen only for
/// a true replay. Parameters are sorted by name and doubles are encoded by their bits, so the encoding is canonical
/// (0.1 written as "0.1" or "1e-1" in YAML gives one label). Every part is length-prefixed
/// (<see cref="KeyedRandomSource.ComposeLabel"/>), so no two different identities share a label.
/// </remarks>
public sealed class NoiseIdentity
{
    /// <summary>Domain of every label built here; bumping it changes every noise stream once.</summary>
    public const string Domain = "StreamMasking.NoiseIdentity/v2";

    private const int CachedKeysPerThread = 8;

    // Keyed HMACs of the digest keys this thread used last (the noise keys: a handful per process).
    [ThreadStatic]
    private static List<(byte[] Key, IncrementalHash Hmac)>? t_hmacs;

    private static readonly byte[] s_digestDomain = Encoding.UTF8.GetBytes("StreamMasking.NoiseIdentity/digest/v2\0");
    private readonly string _purpose;
    private readonly string _mechanism;
    private readonly SortedDictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private readonly List<string> _subject = [];
    private string? _policyHash;

    private NoiseIdentity(string purpose, string mechanism)
    {
        _purpose = purpose;
        _mechanism = mechanism;
    }

    /// <summary>Starts the identity of a draw for <paramref name="purpose"/> (e.g. <c>window-release</c>) by <paramref name="mechanism"/>.</summary>
    public static NoiseIdentity For(string purpose, string mechanism)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        ArgumentException.ThrowIfNullOrEmpty(mechanism);
        return new NoiseIdentity(purpose, mechanism);
    }

    /// <summary>A real-valued mechanism parameter, encoded by its IEEE bits (−0 as 0; NaN refused).</summary>
    public NoiseIdentity With(string name, double value)
    {
        if (double.IsNaN(value))
        {
            throw new ArgumentException("A NaN parameter has no canonical identity.", nameof(value));
        }

        var bits = BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value);
        return Add(name, "d" + bits.ToString("x16", CultureInfo.InvariantCulture));
    }

    /// <summary>An integer mechanism parameter.</summary>
    public NoiseIdentity With(string name, long value) => Add(name, "i" + value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A textual mechanism parameter (a field path, a kind keyword).</summary>
    public NoiseIdentity With(string name, string? value) => Add(name, value is null ? "n" : "s" + value);

    /// <summary>An ordered list parameter (declared categories: their order is part of the mechanism).</summary>
    public NoiseIdentity With(string name, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(name, "l" + KeyedRandomSource.ComposeLabel([.. values]));
    }

    /// <summary>The noise family and its (ε, δ): parameters <c>noise</c>, <c>epsilon</c>, <c>delta</c>.</summary>
    public NoiseIdentity With(NoiseParameters noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        return With("noise", noise.Kind.ToString()).With("epsilon", noise.Epsilon.Value).With("delta", noise.Delta.Value);
    }

    /// <summary>Clamp bounds as two parameters <c>{name}.lower</c> and <c>{name}.upper</c>.</summary>
    public NoiseIdentity With(string name, ClampBounds clamp) => With(name + ".lower", clamp.Lower).With(name + ".upper", clamp.Upper);

    /// <summary>The canonical DP-content hash of the policy the value is released under (never a version string).</summary>
    public NoiseIdentity Policy(string contentHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentHash);
        if (_policyHash is not null)
        {
            throw new InvalidOperationException("The policy hash is already set.");
        }

        _policyHash = contentHash;
        return this;
    }

    /// <summary>One coordinate of what is released, in a fixed order (e.g. segment, then window, then aggregate).</summary>
    public NoiseIdentity Of(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _subject.Add(name);
        _subject.Add(value);
        return this;
    }

    /// <summary>One integer coordinate of what is released.</summary>
    public NoiseIdentity Of(string name, long value) => Of(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The canonical label. Throws when the policy hash or the released subject is missing.</summary>
    public string Label
    {
        get
        {
            if (_policyHash is null || _subject.Count == 0)
            {
                throw new InvalidOperationException("A noise identity needs the policy content hash and what is released.");
            }

            return ComposePrefix() + ComposeSubject(CollectionsMarshal.AsSpan(_subject));
        }
    }

    /// <summary>The keyed noise stream of this identity.</summary>
    public KeyedRandomSource Stream(ReadOnlySpan<byte> key) => new(key, Label);

    /// <summary>
    /// A keyed digest of <paramref name="value"/> under this identity (HMAC-SHA256, 16 bytes): what the state store
    /// keeps to recognise a second, different value presented under the same label. Kept in state only, never published.
    /// </summary>
    public byte[] Digest(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => DigestOf(key, Label, value);

    /// <summary>
    /// Everything but what is released (purpose, mechanism, parameters, policy hash), composed once: for identities
    /// that differ per record only in their subject (event-level noise: topic, partition, offset, field), so the fixed
    /// part is not sorted and encoded again for every record. Labels and digests are those of the equivalent identity.
    /// Throws when the policy hash is missing or a subject was already added.
    /// </summary>
    public NoiseIdentityPrefix Freeze()
    {
        if (_policyHash is null || _subject.Count > 0)
        {
            throw new InvalidOperationException("Only an identity with its policy hash and no subject yet can be frozen.");
        }

        return new NoiseIdentityPrefix(ComposePrefix());
    }

    // The subject block of a label: its pair count, then the names and values.
    internal static string ComposeSubject(ReadOnlySpan<string> subject)
    {
        var builder = new StringBuilder();
        KeyedRandomSource.AppendLabelPart(builder, (subject.Length / 2).ToString(CultureInfo.InvariantCulture));
        foreach (var part in subject)
        {
            KeyedRandomSource.AppendLabelPart(builder, part);
        }

        return builder.ToString();
    }

    // HMAC-SHA256(key, domain ‖ int32 length ‖ label ‖ value)[..16], on a keyed HMAC kept per thread and key: the
    // platform's one-shot call re-keys on every call and costs microseconds, which every noised field of every record paid.
    internal static byte[] DigestOf(ReadOnlySpan<byte> key, string label, ReadOnlySpan<byte> value) =>
        DigestOf(key, Encoding.UTF8.GetBytes(label), value);

    /// <summary>The digest of <paramref name="value"/> under the label whose UTF-8 bytes are <paramref name="label"/>.</summary>
    internal static byte[] DigestOf(ReadOnlySpan<byte> key, ReadOnlySpan<byte> label, ReadOnlySpan<byte> value)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException("A digest key needs at least 16 bytes.", nameof(key));
        }

        // One buffer, one update: every call into the platform's HMAC costs more than the bytes it hashes.
        var length = s_digestDomain.Length + 4 + label.Length + value.Length;
        Span<byte> message = length <= 1024 ? stackalloc byte[length] : new byte[length];
        s_digestDomain.CopyTo(message);
        BinaryPrimitives.WriteInt32LittleEndian(message[s_digestDomain.Length..], label.Length);
        label.CopyTo(message[(s_digestDomain.Length + 4)..]);
        value.CopyTo(message[(s_digestDomain.Length + 4 + label.Length)..]);
        var hmac = KeyedHmac(key);
        hmac.AppendData(message);
        Span<byte> tag = stackalloc byte[32];
        hmac.GetHashAndReset(tag);
        return tag[..16].ToArray();
    }

    private static IncrementalHash KeyedHmac(ReadOnlySpan<byte> key)
    {
        var cache = t_hmacs ??= new List<(byte[], IncrementalHash)>(CachedKeysPerThread);
        foreach (var (cachedKey, hmac) in cache)
        {
            if (key.SequenceEqual(cachedKey))
            {
                return hmac;
            }
        }

        if (cache.Count == CachedKeysPerThread)
        {
            cache[0].Hmac.Dispose();
            CryptographicOperations.ZeroMemory(cache[0].Key);
            cache.RemoveAt(0);
        }

        var entry = (key.ToArray(), IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
        cache.Add(entry);
        return entry.Item2;
    }

    private string ComposePrefix()
    {
        var builder = new StringBuilder();
        KeyedRandomSource.AppendLabelPart(builder, Domain);
        KeyedRandomSource.AppendLabelPart(builder, _purpose);
        KeyedRandomSource.AppendLabelPart(builder, _mechanism);
        KeyedRandomSource.AppendLabelPart(builder, _parameters.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in _parameters)
        {
            KeyedRandomSource.AppendLabelPart(builder, name);
            KeyedRandomSource.AppendLabelPart(builder, value);
        }

        KeyedRandomSource.AppendLabelPart(builder, _policyHash!);
        return builder.ToString();
    }

    private NoiseIdentity Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_parameters.TryAdd(name, value))
        {
            throw new ArgumentException($"Parameter '{name}' is already part of the identity.", nameof(name));
        }

        return this;
    }
}

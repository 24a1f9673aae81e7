using System.Buffers;
using System.Text;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Identity;

/// <summary>
/// A <see cref="NoiseIdentity"/> frozen before its subject (<see cref="NoiseIdentity.Freeze"/>): the purpose, mechanism,
/// parameters and policy hash composed once. <see cref="Label"/>, <see cref="Digest"/> and <see cref="Stream"/> give
/// exactly what the equivalent identity with the same subject gives, so freezing changes no noise. Immutable and
/// thread-safe.
/// </summary>
/// <remarks>
/// <see cref="Digest"/> and <see cref="Stream"/> write the label's UTF-8 bytes straight into a pooled buffer (the
/// prefix's bytes encoded once, then the subject block as <see cref="KeyedRandomSource.ComposeLabel"/> writes it), so
/// a noised value costs no label string: the bytes are those of <c>Encoding.UTF8.GetBytes(Label(subject))</c>. The
/// stream's CMAC over the prefix is computed once per key, too.
/// </remarks>
public sealed class NoiseIdentityPrefix
{
    private readonly string _prefix;
    private readonly byte[] _prefixUtf8;

    // The prefix absorbed into the stream label's CMAC under the last key it was used with (a field rule's identities
    // are all under its segment's noise key): each stream then costs the blocks of its subject only. Immutable; a
    // race between threads at most absorbs it twice.
    private volatile KeyedRandomSource.LabelPrefix? _absorbed;

    internal NoiseIdentityPrefix(string prefix)
    {
        _prefix = prefix;
        _prefixUtf8 = Encoding.UTF8.GetBytes(prefix);
    }

    /// <summary>
    /// The label of the identity with the released <paramref name="subject"/>: names and values alternating, in the
    /// order <see cref="NoiseIdentity.Of(string, string)"/> would have added them. Throws when it is empty or odd.
    /// </summary>
    public string Label(params ReadOnlySpan<string> subject)
    {
        Check(subject);
        return _prefix + NoiseIdentity.ComposeSubject(subject);
    }

    /// <summary>The keyed digest of <paramref name="value"/> under the identity with <paramref name="subject"/> (see <see cref="NoiseIdentity.Digest"/>).</summary>
    public byte[] Digest(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, params ReadOnlySpan<string> subject)
    {
        Check(subject);
        var buffer = ArrayPool<byte>.Shared.Rent(LabelByteCount(subject));
        try
        {
            return NoiseIdentity.DigestOf(key, buffer.AsSpan(0, WriteLabel(buffer, subject)), value);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The keyed noise stream of the identity with <paramref name="subject"/> (see <see cref="NoiseIdentity.Stream"/>).</summary>
    public KeyedRandomSource Stream(ReadOnlySpan<byte> key, params ReadOnlySpan<string> subject)
    {
        Check(subject);
        var absorbed = _absorbed;
        if (absorbed is null || !absorbed.IsFor(key))
        {
            absorbed = KeyedRandomSource.AbsorbLabelPrefix(key, _prefixUtf8);
            _absorbed = absorbed;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(LabelByteCount(subject));
        try
        {
            return absorbed is null
                ? KeyedRandomSource.FromUtf8Label(key, buffer.AsSpan(0, WriteLabel(buffer, subject)))
                : KeyedRandomSource.FromLabelPrefix(key, absorbed, buffer.AsSpan(0, WriteSubject(buffer, subject)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Check(ReadOnlySpan<string> subject)
    {
        if (subject.IsEmpty || subject.Length % 2 != 0)
        {
            throw new ArgumentException("A subject is one or more name and value pairs.", nameof(subject));
        }

        for (var i = 0; i < subject.Length; i += 2)
        {
            // As NoiseIdentity.Of: a name is never empty, a value never null.
            ArgumentException.ThrowIfNullOrEmpty(subject[i], nameof(subject));
            ArgumentNullException.ThrowIfNull(subject[i + 1], nameof(subject));
        }
    }

    // An upper bound of the label's UTF-8 length: the prefix, the pair count, and per part its length, ':', the part
    // (at most 3 bytes per UTF-16 unit) and ';'.
    private int LabelByteCount(ReadOnlySpan<string> subject)
    {
        var count = _prefixUtf8.Length + 24;
        foreach (var part in subject)
        {
            count += 12 + Encoding.UTF8.GetMaxByteCount(part.Length);
        }

        return count;
    }

    // The prefix's bytes, then the subject block exactly as NoiseIdentity.ComposeSubject writes it, UTF-8 encoded.
    private int WriteLabel(Span<byte> destination, ReadOnlySpan<string> subject)
    {
        _prefixUtf8.CopyTo(destination);
        return _prefixUtf8.Length + WriteSubject(destination[_prefixUtf8.Length..], subject);
    }

    // The subject block alone, UTF-8 encoded.
    private static int WriteSubject(Span<byte> destination, ReadOnlySpan<string> subject)
    {
        var written = WritePart(destination, subject.Length / 2);
        foreach (var part in subject)
        {
            written += WritePart(destination[written..], part);
        }

        return written;
    }

    // "length:part;" with the length in UTF-16 units, as KeyedRandomSource.AppendLabelPart appends it.
    private static int WritePart(Span<byte> destination, string part)
    {
        part.Length.TryFormat(destination, out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        destination[digits] = (byte)':';
        var text = Encoding.UTF8.GetBytes(part, destination[(digits + 1)..]);
        destination[digits + 1 + text] = (byte)';';
        return digits + text + 2;
    }

    // The pair count as a part: its decimal text, then that text's own length.
    private static int WritePart(Span<byte> destination, int pairs)
    {
        Span<byte> text = stackalloc byte[11];
        pairs.TryFormat(text, out var textLength, provider: System.Globalization.CultureInfo.InvariantCulture);
        textLength.TryFormat(destination, out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        destination[digits] = (byte)':';
        text[..textLength].CopyTo(destination[(digits + 1)..]);
        destination[digits + 1 + textLength] = (byte)';';
        return digits + textLength + 2;
    }
}

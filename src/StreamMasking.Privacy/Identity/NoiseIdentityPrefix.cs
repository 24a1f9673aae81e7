namespace StreamMasking.Privacy.Identity;

/// <summary>
/// A <see cref="NoiseIdentity"/> frozen before its subject (<see cref="NoiseIdentity.Freeze"/>): the purpose, mechanism,
/// parameters and policy hash composed once. <see cref="Label"/> and <see cref="Digest"/> give exactly what the
/// equivalent identity with the same subject gives, so freezing changes no noise. Immutable and thread-safe.
/// </summary>
public sealed class NoiseIdentityPrefix
{
    private readonly string _prefix;

    internal NoiseIdentityPrefix(string prefix)
    {
        _prefix = prefix;
    }

    /// <summary>
    /// The label of the identity with the released <paramref name="subject"/>: names and values alternating, in the
    /// order <see cref="NoiseIdentity.Of(string, string)"/> would have added them. Throws when it is empty or odd.
    /// </summary>
    public string Label(params ReadOnlySpan<string> subject)
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

        return _prefix + NoiseIdentity.ComposeSubject(subject);
    }

    /// <summary>The keyed digest of <paramref name="value"/> under the identity with <paramref name="subject"/> (see <see cref="NoiseIdentity.Digest"/>).</summary>
    public byte[] Digest(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, params ReadOnlySpan<string> subject) =>
        NoiseIdentity.DigestOf(key, Label(subject), value);
}

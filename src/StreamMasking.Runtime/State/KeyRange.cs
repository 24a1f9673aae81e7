namespace StreamMasking.Runtime.State;

/// <summary>
/// A half-open key range [<see cref="From"/>, <see cref="To"/>) in byte order; a null bound is open.
/// </summary>
internal readonly record struct KeyRange(byte[]? From, byte[]? To)
{
    internal static KeyRange All => new(null, null);

    /// <summary>Every key that starts with <paramref name="prefix"/>.</summary>
    internal static KeyRange Prefix(byte[] prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return new KeyRange(prefix, PrefixUpperBound(prefix));
    }

    internal bool Contains(byte[] key) =>
        (From is null || ByteArrayComparer.Instance.Compare(key, From) >= 0)
        && (To is null || ByteArrayComparer.Instance.Compare(key, To) < 0);

    // The smallest key greater than every key with this prefix: increment the last byte that is not 0xFF and cut
    // after it. A prefix of only 0xFF bytes (or empty) has no upper bound.
    private static byte[]? PrefixUpperBound(byte[] prefix)
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] != 0xFF)
            {
                var bound = prefix[..(i + 1)];
                bound[i]++;
                return bound;
            }
        }

        return null;
    }
}

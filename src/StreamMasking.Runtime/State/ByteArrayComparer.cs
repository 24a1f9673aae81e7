namespace StreamMasking.Runtime.State;

/// <summary>
/// Orders keys as RocksDB's default comparator does (unsigned bytes, lexicographic, shorter prefix first), so the
/// in-memory write buffer and the RocksDB iterator agree on order when a range is merged from both.
/// </summary>
internal sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    internal static readonly ByteArrayComparer Instance = new();

    private ByteArrayComparer()
    {
    }

    public int Compare(byte[]? x, byte[]? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        return y is null ? 1 : x.AsSpan().SequenceCompareTo(y);
    }

    public bool Equals(byte[]? x, byte[]? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}

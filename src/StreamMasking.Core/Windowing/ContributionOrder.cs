namespace StreamMasking.Core.Windowing;

/// <summary>
/// Where a record stands in its window, independent of when it arrived: event time, then the source partition it was
/// read from, then its position (offset) there. Contribution bounding keeps a unit's earliest records in this order,
/// so which of them a release counts is a function of the window's records alone, not of how the records of several
/// source partitions happened to interleave on the way (a restart, a lagging router, another instance's schedule).
/// </summary>
/// <param name="TimestampMs">Event time, Unix ms.</param>
/// <param name="Source">The source partition (e.g. <c>topic/partition</c>); compared ordinally.</param>
/// <param name="Position">Offset within the source partition.</param>
public readonly record struct ContributionOrder(long TimestampMs, string Source, long Position) : IComparable<ContributionOrder>
{
    /// <inheritdoc/>
    public int CompareTo(ContributionOrder other)
    {
        var byTime = TimestampMs.CompareTo(other.TimestampMs);
        if (byTime != 0)
        {
            return byTime;
        }

        var bySource = string.CompareOrdinal(Source, other.Source);
        return bySource != 0 ? bySource : Position.CompareTo(other.Position);
    }

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    public static bool operator <(ContributionOrder left, ContributionOrder right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    public static bool operator >(ContributionOrder left, ContributionOrder right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/> or is it.</summary>
    public static bool operator <=(ContributionOrder left, ContributionOrder right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/> or is it.</summary>
    public static bool operator >=(ContributionOrder left, ContributionOrder right) => left.CompareTo(right) >= 0;

    internal void Write(BinaryWriter writer)
    {
        writer.Write(TimestampMs);
        writer.Write(Source);
        writer.Write(Position);
    }

    internal static ContributionOrder Read(BinaryReader reader) => new(reader.ReadInt64(), reader.ReadString(), reader.ReadInt64());
}

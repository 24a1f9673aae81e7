using System.Buffers.Binary;
using System.Text;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// Who owns a segment's DP state, as persisted next to that state (and so in the changelog): the input topic, the
/// partition the state lives on and the topic's partition count when the state was started. Checked at every
/// assignment and when a segment first shows up on a partition, so that a repartition, a partition count change or
/// an input not partitioned by segment stops the stage instead of silently starting a second ledger.
/// </summary>
/// <remarks>
/// Encoding: version byte 1, partition (int32 BE), partition count (int32 BE), topic (UTF-8). The version byte
/// leaves room for a later shard layout (one hot segment split across several partitions, see
/// docs/windows-and-budgets.md), which would add the shard index and count after the topic.
/// </remarks>
internal sealed record OwnershipRecord(string Topic, int Partition, int PartitionCount)
{
    private const byte Version = 1;

    internal byte[] ToBytes()
    {
        var topic = Encoding.UTF8.GetBytes(Topic);
        var bytes = new byte[9 + topic.Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), Partition);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(5), PartitionCount);
        topic.CopyTo(bytes, 9);
        return bytes;
    }

    /// <summary>Reads a record; null when the bytes are not one (fail closed: the caller treats that as a violation).</summary>
    internal static OwnershipRecord? TryRead(byte[] bytes)
    {
        if (bytes.Length < 10 || bytes[0] != Version)
        {
            return null;
        }

        var partition = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1));
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(5));
        if (partition < 0 || count < 1 || partition >= count)
        {
            return null;
        }

        try
        {
            return new OwnershipRecord(new UTF8Encoding(false, true).GetString(bytes, 9, bytes.Length - 9), partition, count);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

using System.Text;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// The partition a segment-keyed record lands on: Kafka's default partitioner for keyed records (murmur2 of the key
/// bytes, sign bit cleared, modulo the partition count), which the route stage's producer uses
/// (<c>murmur2_random</c>) and which Java producers use by default. DP state of a segment lives on exactly this
/// partition; the ownership checks compare against it.
/// </summary>
internal static class SegmentPartitioner
{
    /// <summary>The partition of the segment key <paramref name="segment"/> (UTF-8) among <paramref name="partitionCount"/>.</summary>
    internal static int PartitionOf(string segment, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        return (int)((uint)(Murmur2(Encoding.UTF8.GetBytes(segment)) & 0x7fffffff) % (uint)partitionCount);
    }

    /// <summary>Kafka's murmur2 (seed 0x9747b28c), bit for bit as <c>org.apache.kafka.common.utils.Utils.murmur2</c>.</summary>
    internal static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint M = 0x5bd1e995;
        const int R = 24;
        var length = data.Length;
        var h = 0x9747b28cu ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = data[i * 4] | ((uint)data[(i * 4) + 1] << 8) | ((uint)data[(i * 4) + 2] << 16) | ((uint)data[(i * 4) + 3] << 24);
            k *= M;
            k ^= k >> R;
            k *= M;
            h *= M;
            h ^= k;
        }

        var tail = length & ~3;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                h ^= (uint)data[tail + 1] << 8;
                h ^= data[tail];
                h *= M;
                break;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                h ^= data[tail];
                h *= M;
                break;
            case 1:
                h ^= data[tail];
                h *= M;
                break;
            default:
                break;
        }

        h ^= h >> 13;
        h *= M;
        h ^= h >> 15;
        return (int)h;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace StreamMasking.Runtime.State;

/// <summary>Small serdes for keys and counters.</summary>
internal static class StateSerdes
{
    /// <summary>UTF-8 strings (byte order = ordinal order of the UTF-8 encoding).</summary>
    internal static IStateSerde<string> Utf8 { get; } = new Utf8Serde();

    /// <summary>Int64 as 8 big-endian bytes with the sign bit flipped, so byte order equals numeric order.</summary>
    internal static IStateSerde<long> OrderedInt64 { get; } = new OrderedInt64Serde();

    private sealed class Utf8Serde : IStateSerde<string>
    {
        public byte[] Serialize(string value) => Encoding.UTF8.GetBytes(value);

        public string Deserialize(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
    }

    private sealed class OrderedInt64Serde : IStateSerde<long>
    {
        public byte[] Serialize(long value)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, unchecked((ulong)value ^ 0x8000_0000_0000_0000UL));
            return bytes;
        }

        public long Deserialize(ReadOnlySpan<byte> bytes) =>
            unchecked((long)(BinaryPrimitives.ReadUInt64BigEndian(bytes) ^ 0x8000_0000_0000_0000UL));
    }
}

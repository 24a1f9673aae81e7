using System.Runtime.Intrinsics.X86;

namespace StreamMasking.Broker.Records;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of record batch v2. System.IO.Hashing has no CRC-32C, so: SSE4.2 crc32
/// instructions when available, a table otherwise.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected Castagnoli polynomial
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        crc = Sse42.X64.IsSupported ? UpdateSse64(crc, data)
            : Sse42.IsSupported ? UpdateSse32(crc, data)
            : UpdateTable(crc, data);
        return ~crc;
    }

    /// <summary>The table implementation, exposed so tests can compare it with the hardware path.</summary>
    internal static uint ComputeWithTable(ReadOnlySpan<byte> data) => ~UpdateTable(0xFFFFFFFFu, data);

    private static uint UpdateSse64(uint crc, ReadOnlySpan<byte> data)
    {
        ulong c = crc;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            c = Sse42.X64.Crc32(c, BitConverter.ToUInt64(data.Slice(i, 8)));
        }

        crc = (uint)c;
        for (; i < data.Length; i++)
        {
            crc = Sse42.Crc32(crc, data[i]);
        }

        return crc;
    }

    private static uint UpdateSse32(uint crc, ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            crc = Sse42.Crc32(crc, BitConverter.ToUInt32(data.Slice(i, 4)));
        }

        for (; i < data.Length; i++)
        {
            crc = Sse42.Crc32(crc, data[i]);
        }

        return crc;
    }

    private static uint UpdateTable(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}

using System.Buffers.Binary;
using System.Text;

namespace StreamMasking.Core.Schemas;

/// <summary>
/// Reads Avro binary primitives from a span, checking every length against the bytes left before using it: a
/// corrupt or hostile record that declares a 2 GiB string fails here instead of allocating 2 GiB.
/// </summary>
internal ref struct AvroBinaryReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public AvroBinaryReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public long ReadLong(string path)
    {
        ulong raw = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw Corrupt(path, "truncated varint");
            }

            var b = _data[_position++];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                // Zig-zag: 0 → 0, 1 → -1, 2 → 1, ...
                return (long)(raw >> 1) ^ -(long)(raw & 1);
            }
        }

        throw Corrupt(path, "varint longer than 10 bytes");
    }

    public int ReadInt(string path)
    {
        var value = ReadLong(path);
        return value is < int.MinValue or > int.MaxValue ? throw Corrupt(path, "int out of range") : (int)value;
    }

    public bool ReadBoolean(string path) => ReadRaw(1, path)[0] switch
    {
        0 => false,
        1 => true,
        _ => throw Corrupt(path, "boolean byte other than 0 or 1"),
    };

    public float ReadFloat(string path) => BinaryPrimitives.ReadSingleLittleEndian(ReadRaw(4, path));

    public double ReadDouble(string path) => BinaryPrimitives.ReadDoubleLittleEndian(ReadRaw(8, path));

    public ReadOnlySpan<byte> ReadBytes(string path) => ReadRaw(ReadLength(path), path);

    public string ReadString(string path)
    {
        var bytes = ReadBytes(path);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Corrupt(path, "string is not valid UTF-8");
        }
    }

    public ReadOnlySpan<byte> ReadRaw(int count, string path)
    {
        if (count > Remaining)
        {
            throw Corrupt(path, "length beyond the end of the record");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    /// <summary>A block count of an array or map: negative counts are followed by the block's byte size (skipped here).</summary>
    public long ReadBlockCount(string path)
    {
        var count = ReadLong(path);
        if (count < 0)
        {
            if (count == long.MinValue)
            {
                throw Corrupt(path, "block count out of range");
            }

            count = -count;
            _ = ReadLength(path);
        }

        return count;
    }

    private int ReadLength(string path)
    {
        var length = ReadLong(path);
        if (length < 0)
        {
            throw Corrupt(path, "negative length");
        }

        return length > Remaining ? throw Corrupt(path, "length beyond the end of the record") : (int)length;
    }

    private static AvroDataException Corrupt(string path, string message) => new(AvroDataProblem.Corrupt, path, message);
}

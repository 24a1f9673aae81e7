using System.Buffers.Binary;
using System.Text;

namespace StreamMasking.Broker.Protocol;

/// <summary>
/// Reads Kafka primitive types (big-endian, protocol.html "Protocol Primitive Types") from a buffer.
/// Methods taking <c>flexible</c> switch between classic (int16/int32 lengths) and compact (unsigned varint
/// length + 1) encodings, because the same message field changes encoding at its flexible version.
/// Any read past the end throws <see cref="ProtocolException"/>.
/// </summary>
internal sealed class KafkaReader
{
    private readonly ReadOnlyMemory<byte> _buffer;
    private int _position;

    public KafkaReader(ReadOnlyMemory<byte> buffer)
    {
        _buffer = buffer;
    }

    public int Position => _position;

    public int Remaining => _buffer.Length - _position;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new ProtocolException($"Request truncated: need {count} bytes at {_position}, have {Remaining}.");
        }

        var span = _buffer.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    private ReadOnlyMemory<byte> TakeMemory(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new ProtocolException($"Request truncated: need {count} bytes at {_position}, have {Remaining}.");
        }

        var memory = _buffer.Slice(_position, count);
        _position += count;
        return memory;
    }

    public sbyte ReadInt8() => (sbyte)Take(1)[0];

    public bool ReadBool() => Take(1)[0] != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    public Guid ReadUuid() => new(Take(16), bigEndian: true);

    public uint ReadUnsignedVarInt()
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(1)[0];
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new ProtocolException("Unsigned varint longer than 5 bytes.");
    }

    public ulong ReadUnsignedVarLong()
    {
        ulong result = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Take(1)[0];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new ProtocolException("Unsigned varlong longer than 10 bytes.");
    }

    /// <summary>Zig-zag encoded signed varint (record format).</summary>
    public int ReadVarInt()
    {
        var raw = ReadUnsignedVarInt();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    /// <summary>Zig-zag encoded signed varlong (record format).</summary>
    public long ReadVarLong()
    {
        var raw = ReadUnsignedVarLong();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Reads a length: int16 (classic string), or unsigned varint - 1 (compact). -1 means null.</summary>
    private int ReadStringLength(bool flexible) => flexible ? (int)ReadUnsignedVarInt() - 1 : ReadInt16();

    public string ReadString(bool flexible) =>
        ReadNullableString(flexible) ?? throw new ProtocolException("Non-nullable string was null.");

    public string? ReadNullableString(bool flexible)
    {
        var length = ReadStringLength(flexible);
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public ReadOnlyMemory<byte> ReadBytes(bool flexible) =>
        ReadNullableBytes(flexible) ?? throw new ProtocolException("Non-nullable bytes were null.");

    public ReadOnlyMemory<byte>? ReadNullableBytes(bool flexible)
    {
        var length = flexible ? (int)ReadUnsignedVarInt() - 1 : ReadInt32();
        return length < 0 ? (ReadOnlyMemory<byte>?)null : TakeMemory(length);
    }

    /// <summary>Reads an array element count; -1 means a null array. Guards against absurd counts.</summary>
    public int ReadArrayCount(bool flexible)
    {
        var count = flexible ? (int)ReadUnsignedVarInt() - 1 : ReadInt32();
        if (count > Remaining)
        {
            throw new ProtocolException($"Array count {count} exceeds remaining {Remaining} bytes.");
        }

        return count;
    }

    /// <summary>Skips a tagged-field section (flexible versions only; no-op otherwise).</summary>
    public void SkipTaggedFields(bool flexible)
    {
        if (!flexible)
        {
            return;
        }

        var count = ReadUnsignedVarInt();
        for (var i = 0; i < count; i++)
        {
            _ = ReadUnsignedVarInt();
            var size = (int)ReadUnsignedVarInt();
            _ = Take(size);
        }
    }

    /// <summary>Reads raw bytes without a length prefix.</summary>
    public ReadOnlyMemory<byte> ReadRaw(int count) => TakeMemory(count);
}

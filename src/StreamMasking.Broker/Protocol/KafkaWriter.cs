using System.Buffers.Binary;
using System.Text;

namespace StreamMasking.Broker.Protocol;

/// <summary>
/// Writes Kafka primitive types (big-endian) into a growable buffer; the mirror of <see cref="KafkaReader"/>.
/// Lengths that are only known afterwards are written with <see cref="ReserveInt32"/> and <see cref="PatchInt32"/>.
/// </summary>
internal sealed class KafkaWriter
{
    private byte[] _buffer;
    private int _length;

    public KafkaWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var size = Math.Max(_buffer.Length * 2, _length + count);
            Array.Resize(ref _buffer, size);
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public void WriteInt8(sbyte value) => Grow(1)[0] = (byte)value;

    public void WriteBool(bool value) => Grow(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Grow(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Grow(4), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Grow(8), value);

    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleBigEndian(Grow(8), value);

    public void WriteUuid(Guid value) => value.TryWriteBytes(Grow(16), bigEndian: true, out _);

    public void WriteUnsignedVarInt(uint value)
    {
        while ((value & ~0x7Fu) != 0)
        {
            Grow(1)[0] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }

        Grow(1)[0] = (byte)value;
    }

    public void WriteUnsignedVarLong(ulong value)
    {
        while ((value & ~0x7FUL) != 0)
        {
            Grow(1)[0] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }

        Grow(1)[0] = (byte)value;
    }

    public void WriteVarInt(int value) => WriteUnsignedVarInt((uint)((value << 1) ^ (value >> 31)));

    public void WriteVarLong(long value) => WriteUnsignedVarLong((ulong)((value << 1) ^ (value >> 63)));

    public void WriteString(string value, bool flexible) => WriteNullableString(value, flexible);

    public void WriteNullableString(string? value, bool flexible)
    {
        if (value is null)
        {
            WriteLength(-1, flexible, classicInt16: true);
            return;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        WriteLength(count, flexible, classicInt16: true);
        Encoding.UTF8.GetBytes(value, Grow(count));
    }

    public void WriteBytes(ReadOnlySpan<byte> value, bool flexible)
    {
        WriteLength(value.Length, flexible, classicInt16: false);
        value.CopyTo(Grow(value.Length));
    }

    public void WriteNullableBytes(ReadOnlyMemory<byte>? value, bool flexible)
    {
        if (value is null)
        {
            WriteLength(-1, flexible, classicInt16: false);
            return;
        }

        WriteBytes(value.Value.Span, flexible);
    }

    /// <summary>Writes an array element count; -1 writes a null array.</summary>
    public void WriteArrayCount(int count, bool flexible) => WriteLength(count, flexible, classicInt16: false);

    /// <summary>Writes an empty tagged-field section when <paramref name="flexible"/>; nothing otherwise.</summary>
    public void WriteEmptyTaggedFields(bool flexible)
    {
        if (flexible)
        {
            WriteUnsignedVarInt(0);
        }
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    /// <summary>Reserves four bytes and returns their position, for <see cref="PatchInt32"/>.</summary>
    public int ReserveInt32()
    {
        var position = _length;
        Grow(4);
        return position;
    }

    public void PatchInt32(int position, int value) =>
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(position, 4), value);

    private void WriteLength(int length, bool flexible, bool classicInt16)
    {
        if (flexible)
        {
            WriteUnsignedVarInt((uint)(length + 1));
        }
        else if (classicInt16)
        {
            WriteInt16((short)length);
        }
        else
        {
            WriteInt32(length);
        }
    }
}

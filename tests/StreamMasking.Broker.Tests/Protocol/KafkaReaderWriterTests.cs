using FsCheck;
using FsCheck.Xunit;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Tests.Protocol;

public sealed class KafkaReaderWriterTests
{
    [Theory]
    [InlineData(0u, new byte[] { 0x00 })]
    [InlineData(1u, new byte[] { 0x01 })]
    [InlineData(127u, new byte[] { 0x7F })]
    [InlineData(128u, new byte[] { 0x80, 0x01 })]
    [InlineData(300u, new byte[] { 0xAC, 0x02 })]
    [InlineData(uint.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void WriteUnsignedVarInt_KnownValues_MatchProtobufEncoding(uint value, byte[] expected)
    {
        var writer = new KafkaWriter();
        writer.WriteUnsignedVarInt(value);
        writer.ToArray().ShouldBe(expected);
        new KafkaReader(expected).ReadUnsignedVarInt().ShouldBe(value);
    }

    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(-1, new byte[] { 0x01 })]
    [InlineData(1, new byte[] { 0x02 })]
    [InlineData(-64, new byte[] { 0x7F })]
    [InlineData(64, new byte[] { 0x80, 0x01 })]
    public void WriteVarInt_KnownValues_UseZigZag(int value, byte[] expected)
    {
        var writer = new KafkaWriter();
        writer.WriteVarInt(value);
        writer.ToArray().ShouldBe(expected);
        new KafkaReader(expected).ReadVarInt().ShouldBe(value);
    }

    [Property]
    public void VarLong_AnyValue_RoundTrips(long value)
    {
        var writer = new KafkaWriter();
        writer.WriteVarLong(value);
        new KafkaReader(writer.ToArray()).ReadVarLong().ShouldBe(value);
    }

    [Property]
    public void Fixed_AnyValues_RoundTripBigEndian(short a, int b, long c, Guid d)
    {
        var writer = new KafkaWriter(1);
        writer.WriteInt16(a);
        writer.WriteInt32(b);
        writer.WriteInt64(c);
        writer.WriteUuid(d);
        var reader = new KafkaReader(writer.ToArray());
        reader.ReadInt16().ShouldBe(a);
        reader.ReadInt32().ShouldBe(b);
        reader.ReadInt64().ShouldBe(c);
        reader.ReadUuid().ShouldBe(d);
        reader.Remaining.ShouldBe(0);
    }

    [Property]
    public void Strings_ClassicAndCompact_RoundTrip(NonNull<string> text, bool flexible)
    {
        var writer = new KafkaWriter();
        writer.WriteString(text.Get, flexible);
        writer.WriteNullableString(null, flexible);
        var reader = new KafkaReader(writer.ToArray());
        reader.ReadString(flexible).ShouldBe(text.Get);
        reader.ReadNullableString(flexible).ShouldBeNull();
    }

    [Fact]
    public void WriteString_Compact_WritesLengthPlusOne()
    {
        var writer = new KafkaWriter();
        writer.WriteString("ab", flexible: true);
        writer.WriteNullableString(null, flexible: true);
        writer.ToArray().ShouldBe(new byte[] { 3, (byte)'a', (byte)'b', 0 });
    }

    [Fact]
    public void WriteString_Classic_WritesInt16Length()
    {
        var writer = new KafkaWriter();
        writer.WriteString("ab", flexible: false);
        writer.WriteNullableString(null, flexible: false);
        writer.ToArray().ShouldBe(new byte[] { 0, 2, (byte)'a', (byte)'b', 0xFF, 0xFF });
    }

    [Fact]
    public void Bytes_ClassicAndCompact_RoundTrip()
    {
        var writer = new KafkaWriter();
        writer.WriteBytes([1, 2, 3], flexible: false);
        writer.WriteBytes([4], flexible: true);
        writer.WriteNullableBytes(null, flexible: false);
        writer.WriteNullableBytes(null, flexible: true);
        var reader = new KafkaReader(writer.ToArray());
        reader.ReadBytes(false).ToArray().ShouldBe(new byte[] { 1, 2, 3 });
        reader.ReadBytes(true).ToArray().ShouldBe(new byte[] { 4 });
        reader.ReadNullableBytes(false).ShouldBeNull();
        reader.ReadNullableBytes(true).ShouldBeNull();
    }

    [Fact]
    public void SkipTaggedFields_UnknownTags_AreSkipped()
    {
        var writer = new KafkaWriter();
        writer.WriteUnsignedVarInt(2);
        writer.WriteUnsignedVarInt(0);
        writer.WriteUnsignedVarInt(3);
        writer.WriteRaw([9, 9, 9]);
        writer.WriteUnsignedVarInt(5);
        writer.WriteUnsignedVarInt(0);
        writer.WriteInt32(42);
        var reader = new KafkaReader(writer.ToArray());
        reader.SkipTaggedFields(flexible: true);
        reader.ReadInt32().ShouldBe(42);
    }

    [Fact]
    public void ArrayCount_NullAndEmpty_AreDistinct()
    {
        var writer = new KafkaWriter();
        writer.WriteArrayCount(-1, flexible: true);
        writer.WriteArrayCount(0, flexible: true);
        writer.WriteArrayCount(-1, flexible: false);
        var reader = new KafkaReader(writer.ToArray());
        reader.ReadArrayCount(true).ShouldBe(-1);
        reader.ReadArrayCount(true).ShouldBe(0);
        reader.ReadArrayCount(false).ShouldBe(-1);
    }

    [Fact]
    public void Read_PastEnd_ThrowsProtocolException()
    {
        var reader = new KafkaReader(new byte[] { 0, 5, (byte)'a' });
        Should.Throw<ProtocolException>(() => reader.ReadString(flexible: false));
    }

    [Fact]
    public void ReadArrayCount_LargerThanRemaining_ThrowsProtocolException()
    {
        var reader = new KafkaReader(new byte[] { 0x7F, 0xFF, 0xFF, 0xFF });
        Should.Throw<ProtocolException>(() => reader.ReadArrayCount(flexible: false));
    }

    [Fact]
    public void ReserveInt32_Patched_WritesValueAtPosition()
    {
        var writer = new KafkaWriter();
        var at = writer.ReserveInt32();
        writer.WriteInt8(7);
        writer.PatchInt32(at, writer.Length - 4);
        writer.ToArray().ShouldBe(new byte[] { 0, 0, 0, 1, 7 });
    }
}

using System.Text;
using FsCheck.Xunit;
using StreamMasking.Broker.Records;

namespace StreamMasking.Broker.Tests.Records;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_StandardCheckInput_MatchesCastagnoliCheckValue()
    {
        // The CRC-32C check value of "123456789" (RFC 3720 / Castagnoli).
        Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")).ShouldBe(0xE3069283u);
        Crc32C.ComputeWithTable(Encoding.ASCII.GetBytes("123456789")).ShouldBe(0xE3069283u);
    }

    [Fact]
    public void Compute_Empty_IsZero() => Crc32C.Compute([]).ShouldBe(0u);

    [Property]
    public void Compute_HardwareAndTable_Agree(byte[] data) =>
        Crc32C.Compute(data).ShouldBe(Crc32C.ComputeWithTable(data));
}

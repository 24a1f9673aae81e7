using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

public sealed class KeyRangeTests
{
    [Fact]
    public void Prefix_OrdinaryPrefix_UpperBoundIncrementsLastByte()
    {
        var range = KeyRange.Prefix([0x01, 0x02]);

        range.From.ShouldBe(new byte[] { 0x01, 0x02 });
        range.To.ShouldBe(new byte[] { 0x01, 0x03 });
    }

    [Fact]
    public void Prefix_TrailingFF_CarriesIntoEarlierByte()
    {
        KeyRange.Prefix([0x01, 0xFF, 0xFF]).To.ShouldBe(new byte[] { 0x02 });
    }

    [Fact]
    public void Prefix_AllFF_HasNoUpperBound()
    {
        KeyRange.Prefix([0xFF, 0xFF]).To.ShouldBeNull();
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x02 }, true)]
    [InlineData(new byte[] { 0x01, 0x02, 0xFF, 0x00 }, true)]
    [InlineData(new byte[] { 0x01, 0x03 }, false)]
    [InlineData(new byte[] { 0x01 }, false)]
    public void Contains_KeysAroundPrefix_MatchesOnlyPrefixedKeys(byte[] key, bool expected)
    {
        KeyRange.Prefix([0x01, 0x02]).Contains(key).ShouldBe(expected);
    }
}

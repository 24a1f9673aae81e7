using System.Security.Cryptography;
using System.Text;
using StreamMasking.Runtime.Windowing;

namespace StreamMasking.Runtime.Tests.Windowing;

/// <summary>The derived keys and names of windowing state, pinned to their documented formulas (state and changelogs hold them).</summary>
public sealed class StateKeysTests
{
    private static readonly byte[] Master = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public void WindowNoiseKey_IsHkdfOfTheMasterWithTheDocumentedInfo()
    {
        var expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, Master, 32, salt: [], info: Encoding.UTF8.GetBytes("streammasking/window-noise/v1"));

        StateKeys.WindowNoiseKey(Master).ShouldBe(expected);
    }

    [Fact]
    public void UnitId_IsTruncatedHmacUnderThePerSegmentHkdfKey()
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Master, 32, salt: [], info: Encoding.UTF8.GetBytes("streammasking/unit-id/v1/visits"));
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("P-42"))[..16];

        StateKeys.UnitIdKey(Master, "visits").ShouldBe(key);
        StateKeys.UnitId(key, "P-42").ShouldBe(expected);
        StateKeys.UnitIdKey(Master, "payments").ShouldNotBe(key);
    }

    [Fact]
    public void Names_SourceOwnerAndEngineUnit_AreCultureInvariantAndStable()
    {
        StateKeys.SourceName("visits", 12).ShouldBe("visits/12");
        StateKeys.NoiseOwner(3).ShouldBe("3");
        StateKeys.EngineUnit([0xfb, 0xff]).ShouldBe("+/8=");
    }
}

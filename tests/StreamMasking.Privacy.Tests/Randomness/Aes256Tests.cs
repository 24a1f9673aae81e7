using System.Security.Cryptography;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Randomness;

/// <summary>The in-process AES-256 and AES-CMAC against published test vectors and the platform's AES.</summary>
public class Aes256Tests
{
    // NIST SP 800-38B, appendix D.3 (AES-256).
    private const string CmacKey = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
    private const string CmacMessage = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

    [Fact]
    public void EncryptBlocks_Fips197AppendixC3_KnownAnswer()
    {
        var aes = new Aes256(Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        var output = new byte[16];

        aes.EncryptBlocks(Convert.FromHexString("00112233445566778899aabbccddeeff"), output);

        Convert.ToHexStringLower(output).ShouldBe("8ea2b7ca516745bfeafc49904b496089");
    }

    [Fact]
    public void EncryptBlocks_RandomKeysAndBlocks_MatchThePlatformAes()
    {
        using var platform = Aes.Create();
        for (var trial = 0; trial < 200; trial++)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var input = RandomNumberGenerator.GetBytes(16 * (1 + (trial % 9)));
            platform.Key = key;
            var expected = platform.EncryptEcb(input, PaddingMode.None);
            var actual = new byte[input.Length];

            new Aes256(key).EncryptBlocks(input, actual);

            actual.ShouldBe(expected);
        }
    }

    [Theory]
    [InlineData(0, "028962f61b7bf89efc6b551f4667d983")]
    [InlineData(16, "28a7023f452e8f82bd4bf28d8c37c35c")]
    [InlineData(40, "aaf3d8f1de5640c232f5b169b9c911e6")]
    [InlineData(64, "e1992190549f6ed5696a2c056c315410")]
    public void Cmac_Sp800_38B_KnownAnswers(int messageBytes, string expectedTag)
    {
        var aes = new Aes256(Convert.FromHexString(CmacKey));
        var tag = new byte[16];

        aes.Cmac(Convert.FromHexString(CmacMessage).AsSpan(0, messageBytes), tag);

        Convert.ToHexStringLower(tag).ShouldBe(expectedTag);
    }

    [Fact]
    public void PlatformPath_CmacAndBlocks_SameBytesAsTheHardwarePath()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var message = RandomNumberGenerator.GetBytes(77);
        var (fast, portable) = (new Aes256(key), new Aes256(key, allowHardware: false));
        portable.IsHardwareAccelerated.ShouldBeFalse();
        var (a, b) = (new byte[16], new byte[16]);

        fast.Cmac(message, a);
        portable.Cmac(message, b);

        a.ShouldBe(b);
        var (x, y) = (new byte[48], new byte[48]);
        fast.EncryptBlocks(message.AsSpan(0, 48), x);
        portable.EncryptBlocks(message.AsSpan(0, 48), y);
        x.ShouldBe(y);
    }

    [Fact]
    public void HardwareCmac_EveryLengthUpToFiveBlocks_SameTagAsThePortablePath()
    {
        // Empty, partial and complete last blocks, one to five blocks: the register path's subkey choice and padding.
        var random = new Random(20261204);
        var key = new byte[32];
        random.NextBytes(key);
        var (fast, portable) = (new Aes256(key), new Aes256(key, allowHardware: false));
        for (var length = 0; length <= 80; length++)
        {
            var message = new byte[length];
            random.NextBytes(message);
            var (a, b) = (new byte[16], new byte[16]);

            fast.Cmac(message, a);
            portable.Cmac(message, b);

            a.ShouldBe(b, $"length {length}");
        }
    }

    [Fact]
    public void Constructor_WrongKeyLength_Throws() =>
        Should.Throw<ArgumentException>(() => new Aes256(new byte[16]));
}

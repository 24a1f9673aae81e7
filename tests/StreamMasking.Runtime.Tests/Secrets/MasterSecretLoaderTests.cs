using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Secrets;

namespace StreamMasking.Runtime.Tests.Secrets;

public sealed class MasterSecretLoaderTests
{
    [Fact]
    public void Load_NoSecretAnywhere_FailsClosedNamingTheVariable()
    {
        var e = Should.Throw<StreamMaskingConfigurationException>(() => MasterSecretLoader.Load(new SecretOptions(), _ => null));

        e.Message.ShouldContain("STREAMMASKING_MASTER_SECRET");
    }

    [Fact]
    public void Load_FromEnvironment_DecodesBase64()
    {
        var secret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var env = new Dictionary<string, string?> { ["STREAMMASKING_MASTER_SECRET"] = Convert.ToBase64String(secret) };

        MasterSecretLoader.Load(new SecretOptions(), name => env.GetValueOrDefault(name)).ShouldBe(secret);
    }

    [Fact]
    public void Load_TooShort_RejectedWithoutEchoingTheSecret()
    {
        var shortSecret = Convert.ToBase64String(new byte[16]);

        var e = Should.Throw<StreamMaskingConfigurationException>(() => MasterSecretLoader.Load(new SecretOptions(), _ => shortSecret));

        e.Message.ShouldContain("16 bytes");
        e.Message.ShouldNotContain(shortSecret);
    }

    [Fact]
    public void Load_FromFile_TakesPrecedenceOverEnvironment()
    {
        var path = Path.GetTempFileName();
        try
        {
            var secret = Enumerable.Repeat((byte)7, 40).ToArray();
            File.WriteAllText(path, Convert.ToBase64String(secret) + "\n");

            MasterSecretLoader.Load(new SecretOptions { MasterSecretFile = path }, _ => "ignored").ShouldBe(secret);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_NotBase64_NamesTheKey()
    {
        var e = Should.Throw<StreamMaskingConfigurationException>(() => MasterSecretLoader.Load(new SecretOptions(), _ => "not*base64!"));

        e.Errors.ShouldHaveSingleItem().Key.ShouldStartWith("StreamMasking:Secrets:MasterSecretEnvironmentVariable");
    }
}

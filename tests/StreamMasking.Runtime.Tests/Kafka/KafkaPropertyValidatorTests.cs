using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Tests.Kafka;

public sealed class KafkaPropertyValidatorTests
{
    private const string Section = "StreamMasking:Kafka:Properties";

    [Fact]
    public void Validate_KnownProperties_NoErrors()
    {
        var properties = new Dictionary<string, string>
        {
            ["socket.keepalive.enable"] = "true",
            ["STATISTICS_INTERVAL_MS"] = "0",
        };

        KafkaPropertyValidator.Validate(properties, Section).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_UnknownProperty_NamesTheKey()
    {
        var properties = new Dictionary<string, string>
        {
            ["socket.keepalive.enable"] = "true",
            ["sasl.mechanismz"] = "PLAIN",
        };

        var error = KafkaPropertyValidator.Validate(properties, Section).ShouldHaveSingleItem();

        error.Key.ShouldBe($"{Section}:sasl.mechanismz");
    }

    [Fact]
    public void Validate_BadEnumValue_NamesTheKey()
    {
        var properties = new Dictionary<string, string> { ["security.protocol"] = "carrier-pigeon" };

        KafkaPropertyValidator.Validate(properties, Section).ShouldHaveSingleItem().Key.ShouldBe($"{Section}:security.protocol");
    }

    [Theory]
    [InlineData("SASL_MECHANISM", "sasl.mechanism")]
    [InlineData("ssl.ca.location", "ssl.ca.location")]
    public void NormalizeKey_EnvironmentStyle_BecomesDotted(string key, string expected)
    {
        KafkaProperties.NormalizeKey(key).ShouldBe(expected);
    }
}

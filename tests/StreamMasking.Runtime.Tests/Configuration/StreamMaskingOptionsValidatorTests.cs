using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Tests.Configuration;

public sealed class StreamMaskingOptionsValidatorTests
{
    private static StreamMaskingOptions Valid() => new()
    {
        Kafka = { BootstrapServers = "localhost:9092" },
        Pipeline = { InputTopics = ["events"] },
        Policy = { File = "policy.yaml" },
    };

    [Fact]
    public void Validate_MinimalSettings_NoErrors()
    {
        StreamMaskingOptionsValidator.Validate(Valid(), requireBootstrapServers: true).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_NoInputTopicsNoPolicy_NamesEachKey()
    {
        var options = Valid();
        options.Pipeline.InputTopics.Clear();
        options.Policy.File = null;

        var keys = StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: true).Select(e => e.Key).ToList();

        keys.ShouldBe(["StreamMasking:Pipeline:InputTopics", "StreamMasking:Policy:File"], ignoreOrder: true);
    }

    [Fact]
    public void Validate_MissingBootstrap_ErrorOnlyWhenRequired()
    {
        var options = Valid();
        options.Kafka.BootstrapServers = null;

        StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: false).ShouldBeEmpty();
        StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: true)
            .ShouldHaveSingleItem().Key.ShouldBe("StreamMasking:Kafka:BootstrapServers");
    }

    [Fact]
    public void Validate_ManagedKafkaProperty_NamesTheKey()
    {
        var options = Valid();
        options.Kafka.Properties["ISOLATION_LEVEL"] = "read_uncommitted";
        options.Kafka.Properties["security.protocol"] = "SASL_SSL";

        var error = StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: true).ShouldHaveSingleItem();

        error.Key.ShouldBe("StreamMasking:Kafka:Properties:ISOLATION_LEVEL");
        error.Message.ShouldContain("isolation.level");
    }

    [Theory]
    [InlineData("bad topic")]
    [InlineData("..")]
    [InlineData("")]
    public void Validate_IllegalDeadLetterTopic_NamesTheKey(string topic)
    {
        var options = Valid();
        options.DeadLetters.Topic = topic;

        StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: true)
            .ShouldHaveSingleItem().Key.ShouldBe("StreamMasking:DeadLetters:Topic");
    }

    [Fact]
    public void Validate_BatchIntervalNotBelowTransactionTimeout_Error()
    {
        var options = Valid();
        options.Pipeline.BatchMaxInterval = TimeSpan.FromSeconds(90);

        StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: true)
            .Select(e => e.Key).ShouldContain("StreamMasking:Pipeline:BatchMaxInterval");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(60_001)]
    public void Validate_MaxTaskIdleOutOfRange_NamesTheKey(int milliseconds)
    {
        var options = Valid();
        options.Pipeline.MaxTaskIdle = TimeSpan.FromMilliseconds(milliseconds);

        StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: true)
            .ShouldHaveSingleItem().Key.ShouldBe("StreamMasking:Pipeline:MaxTaskIdle");
    }

    [Fact]
    public void Validate_MaxTaskIdleZero_Valid()
    {
        var options = Valid();
        options.Pipeline.MaxTaskIdle = TimeSpan.Zero;

        StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: true).ShouldBeEmpty();
    }

    [Fact]
    public void ThrowIfInvalid_Invalid_MessageListsKeys()
    {
        var options = Valid();
        options.Pipeline.BatchMaxRecords = 0;

        var e = Should.Throw<StreamMaskingConfigurationException>(() => StreamMaskingOptionsValidator.ThrowIfInvalid(options, true));

        e.Message.ShouldContain("StreamMasking:Pipeline:BatchMaxRecords");
    }
}

using StreamMasking.Core.Policy;
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

    [Theory]
    [InlineData(0L)]
    [InlineData(1_048_575L)]
    [InlineData(17_179_869_185L)]
    public void Validate_InputBufferMaxBytesOutOfRange_NamesTheKey(long bytes)
    {
        var options = Valid();
        options.Pipeline.InputBufferMaxBytes = bytes;

        StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: true)
            .ShouldHaveSingleItem().Key.ShouldBe("StreamMasking:Pipeline:InputBufferMaxBytes");
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

    [Fact]
    public void Validate_ThreeIndependentErrors_ReportsEachOfThem()
    {
        var options = Valid();
        options.Pipeline.StreamThreads = 0;
        options.Http.Port = 70_000;
        options.State.CheckpointAfterRecords = 0;

        var errors = StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: true);

        errors.Select(e => e.ToString()).ShouldBe(
        [
            "StreamMasking:Pipeline:StreamThreads: must be between 1 and 32",
            "StreamMasking:State:CheckpointAfterRecords: must be at least 1",
            "StreamMasking:Http:Port: must be between 0 and 65535",
        ], ignoreOrder: true);
    }

    [Fact]
    public void ValidateForStart_ErrorsOfSettingsKafkaPropertiesAndPolicy_ReportsEachOfThem()
    {
        var options = Valid();
        options.Http.Port = -1;
        options.Kafka.Properties["security.protocol"] = "carrier-pigeon";
        var policy = PolicyLoader.Parse("""
            version: "v-1"
            segments:
              - { name: s, match: { all: [] }, output: avro, fields: { a: keep } }
            """, "p.yaml").Policy!;

        var keys = StreamMaskingOptionsValidator.ValidateForStart(options, policy, requireBootstrapServers: true).Select(e => e.Key);

        keys.ShouldBe(
        [
            "StreamMasking:Http:Port",
            "StreamMasking:Kafka:Properties:security.protocol",
            "StreamMasking:SchemaRegistry:Url",
        ], ignoreOrder: true);
    }

    [Fact]
    public void ValidateForStart_RefusedPropertyKey_IsNotJudgedByTheClientAgain()
    {
        var options = Valid();
        options.Kafka.Properties["ISOLATION_LEVEL"] = "read_uncommitted";

        StreamMaskingOptionsValidator.ValidateForStart(options, policy: null, requireBootstrapServers: true)
            .ShouldHaveSingleItem().Key.ShouldBe("StreamMasking:Kafka:Properties:ISOLATION_LEVEL");
    }
}

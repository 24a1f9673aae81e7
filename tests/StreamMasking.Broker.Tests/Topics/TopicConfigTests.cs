using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Tests.Topics;

public sealed class TopicConfigTests
{
    [Theory]
    [InlineData("cleanup.policy", "compact,delete")]
    [InlineData("retention.ms", "-1")]
    [InlineData("message.timestamp.type", "LogAppendTime")]
    [InlineData("min.cleanable.dirty.ratio", "0.1")]
    [InlineData("preallocate", "true")]
    public void Validate_KnownKeyAndValue_IsAccepted(string key, string value) =>
        TopicConfig.Validate(key, value).ShouldBeNull();

    [Theory]
    [InlineData("cleanup.policy", "forever")]
    [InlineData("retention.ms", "soon")]
    [InlineData("message.timestamp.type", "WallClock")]
    [InlineData("no.such.config", "1")]
    public void Validate_UnknownKeyOrBadValue_IsRejected(string key, string value) =>
        TopicConfig.Validate(key, value).ShouldNotBeNull();

    [Fact]
    public void Defaults_RetentionUnbounded_AndOverridesWin()
    {
        var config = new TopicConfig(new Dictionary<string, string> { ["cleanup.policy"] = "compact" });
        config.RetentionMsValue.ShouldBe(-1);
        config.RetentionBytesValue.ShouldBe(-1);
        config.Compact.ShouldBeTrue();
        config.Delete.ShouldBeFalse();
        config.IsDefault("cleanup.policy").ShouldBeFalse();
        config.IsDefault("retention.ms").ShouldBeTrue();
    }
}

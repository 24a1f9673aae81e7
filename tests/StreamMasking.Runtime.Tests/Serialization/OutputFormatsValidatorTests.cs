using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Tests.Serialization;

/// <summary><c>Aggregates:Format</c> and <c>Audit:Format</c> through the options validator.</summary>
public sealed class OutputFormatsValidatorTests
{
    private static StreamMaskingOptions Valid() => new()
    {
        Kafka = { BootstrapServers = "localhost:9092" },
        Pipeline = { InputTopics = ["events"] },
        Policy = { File = "policy.yaml" },
    };

    private static List<OptionsError> Errors(StreamMaskingOptions options) =>
        [.. StreamMaskingOptionsValidator.Validate(options, requireBootstrapServers: true)];

    [Fact]
    public void Validate_Defaults_JsonWithoutRegistry()
    {
        var options = Valid();

        (options.Aggregates.Format, options.Audit.Format).ShouldBe(("json", "json"));
        Errors(options).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_AvroWithRegistry_NoErrors()
    {
        var options = Valid();
        options.Aggregates.Format = "avro";
        options.Audit.Format = "avro";
        options.SchemaRegistry.Url = "http://registry:8081";

        Errors(options).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("Avro")]
    [InlineData("avro-confluent")]
    [InlineData("")]
    [InlineData(null)]
    public void Validate_UnknownFormat_NamesEachKey(string? format)
    {
        var options = Valid();
        options.Aggregates.Format = format!;
        options.Audit.Format = format!;

        var errors = Errors(options);

        errors.Select(e => e.Key).ShouldBe(["StreamMasking:Aggregates:Format", "StreamMasking:Audit:Format"]);
        errors.ShouldAllBe(e => e.Message == "must be json or avro");
    }

    [Fact]
    public void Validate_AvroWithoutRegistry_NamesTheRegistryUrlAndTheFormat()
    {
        var options = Valid();
        options.Audit.Format = "avro";

        var error = Errors(options).ShouldHaveSingleItem();

        error.Key.ShouldBe("StreamMasking:SchemaRegistry:Url");
        error.Message.ShouldContain("Audit:Format is avro");
    }

    [Fact]
    public void Validate_FormatErrorsAndOtherErrors_ReportedTogether()
    {
        var options = Valid();
        options.Aggregates.Format = "xml";
        options.Audit.Format = "avro";
        options.Policy.File = null;

        Errors(options).Select(e => e.Key).ShouldBe(
            ["StreamMasking:Aggregates:Format", "StreamMasking:SchemaRegistry:Url", "StreamMasking:Policy:File"], ignoreOrder: true);
    }
}

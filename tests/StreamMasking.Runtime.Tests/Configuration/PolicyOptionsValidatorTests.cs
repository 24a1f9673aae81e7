using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;

namespace StreamMasking.Runtime.Tests.Configuration;

public sealed class PolicyOptionsValidatorTests
{
    // One windowed segment with a state store (aggregates), one segment with Avro output keyed by the input key.
    private const string PolicyYaml = """
        version: "v-1"
        maskedTopic: "masked.{segment}"
        segments:
          - name: visits
            match: { field: type, equals: visit }
            fields:
              seq: keep
              cost: { action: laplace, epsilon: 1, clamp: { min: 0, max: 1000 } }
            window: { size: 1m }
            budget: { accountant: basic, perWindow: { epsilon: 2 }, lifetime: { epsilon: 1000 } }
            aggregates:
              - { name: n, kind: count, epsilon: 0.5 }
          - name: payments
            match: { field: type, equals: payment }
            output: avro
            key: input-key
            fields: { seq: keep }
        """;

    private static readonly PrivacyPolicy Policy = Parse(PolicyYaml);

    private static StreamMaskingOptions Valid() => new()
    {
        Kafka = { BootstrapServers = "localhost:9092" },
        Pipeline = { InputTopics = ["events"] },
        Policy = { File = "policy.yaml" },
        SchemaRegistry = { Url = "http://registry:8081" },
    };

    [Fact]
    public void Validate_ValidSettings_NoErrors()
    {
        PolicyOptionsValidator.Validate(Valid(), Policy).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_SeveralIndependentErrors_ReportsEachOfThem()
    {
        var options = Valid();
        options.SchemaRegistry.Url = "";
        options.Pipeline.InputKeyedBySegment = true;
        options.Pipeline.InputTopics = ["events", "more-events"];
        options.Pipeline.ConsumerGroupId = "group with spaces";

        var errors = PolicyOptionsValidator.Validate(options, Policy);

        errors.Select(e => e.Key).ShouldBe(
        [
            "StreamMasking:Pipeline:InputTopics",
            "StreamMasking:SchemaRegistry:Url",
            "StreamMasking:Pipeline:InputKeyedBySegment",
            "StreamMasking:Pipeline:ConsumerGroupId",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Validate_AvroOutputWithoutRegistry_NamesTheUrl()
    {
        var options = Valid();
        options.SchemaRegistry.Url = " ";

        PolicyOptionsValidator.Validate(options, Policy).ShouldHaveSingleItem().ToString()
            .ShouldBe("StreamMasking:SchemaRegistry:Url: is required: a policy segment declares output: avro.");
    }

    [Fact]
    public void Validate_InputKeyWhenTheInputIsKeyedBySegment_NamesTheSegment()
    {
        var options = Valid();
        options.Pipeline.InputKeyedBySegment = true;

        PolicyOptionsValidator.Validate(options, Policy).ShouldHaveSingleItem().Message
            .ShouldContain("'payments' declares key: input-key");
    }

    [Fact]
    public void Validate_SeveralPreKeyedInputsWithWindows_AllowsOnlyOne()
    {
        var options = Valid();
        options.Pipeline.InputKeyedBySegment = true;
        var policy = Parse(PolicyWithout("key: input-key"));
        options.Pipeline.InputTopics = ["a", "b"];

        PolicyOptionsValidator.Validate(options, policy).ShouldHaveSingleItem().ToString().ShouldBe(
            "StreamMasking:Pipeline:InputTopics: with InputKeyedBySegment and a policy that declares windows, exactly one input topic is allowed");
    }

    [Fact]
    public void Validate_GroupIdThatCannotNameTheStateDirectory_IsAnErrorOnlyWithWindowState()
    {
        var options = Valid();
        options.Pipeline.ConsumerGroupId = "..";

        PolicyOptionsValidator.Validate(options, Policy).ShouldHaveSingleItem().Key.ShouldBe("StreamMasking:Pipeline:ConsumerGroupId");
        PolicyOptionsValidator.Validate(options, Parse("""
            version: "v-2"
            segments:
              - { name: s, match: { all: [] }, fields: { a: keep } }
            """)).ShouldBeEmpty();
    }

    private static string PolicyWithout(string line) =>
        PolicyYaml.Replace("    " + line + "\n", "", StringComparison.Ordinal);

    private static PrivacyPolicy Parse(string yaml)
    {
        var result = PolicyLoader.Parse(yaml, "test.yaml");
        result.IsValid.ShouldBeTrue(string.Join(Environment.NewLine, result.Diagnostics));
        return result.Policy!;
    }
}

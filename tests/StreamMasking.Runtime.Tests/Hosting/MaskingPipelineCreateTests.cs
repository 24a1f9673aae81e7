using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Hosting;
using StreamMasking.Runtime.Tests.Audit;

namespace StreamMasking.Runtime.Tests.Hosting;

public sealed class MaskingPipelineCreateTests
{
    [Fact]
    public void Create_ErrorsOfSettingsAndOfSettingsAgainstThePolicy_ReportsEachOfThem()
    {
        var options = new StreamMaskingOptions
        {
            Kafka = { BootstrapServers = "127.0.0.1:9" },
            Pipeline = { InputTopics = ["events"], BatchMaxRecords = 0, InputKeyedBySegment = true },
            Policy = { File = "p.yaml" },
        };
        var policy = PolicyLoader.Parse("""
            version: "v-1"
            segments:
              - { name: s, match: { all: [] }, output: avro, key: input-key, fields: { a: keep } }
            """, "p.yaml").Policy!;

        var e = Should.Throw<StreamMaskingConfigurationException>(() =>
            MaskingPipeline.Create(options, policy, new byte[32], NullLoggerFactory.Instance));

        e.Errors.Select(x => x.Key).ShouldBe(
        [
            "StreamMasking:Pipeline:BatchMaxRecords",
            "StreamMasking:SchemaRegistry:Url",
            "StreamMasking:Pipeline:InputKeyedBySegment",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Create_SegmentTooLargeForOnePolicyLoadedRecord_RefusedNamingTheSegment()
    {
        var options = new StreamMaskingOptions
        {
            Kafka = { BootstrapServers = "127.0.0.1:9" },
            Pipeline = { InputTopics = ["events"], BatchMaxRecords = 0 },
            Policy = { File = "big.yaml" },
        };
        var policy = AuditFixtures.BigSegmentBetweenSmallOnes(aggregates: 3_400);

        var e = Should.Throw<StreamMaskingConfigurationException>(() =>
            MaskingPipeline.Create(options, policy, new byte[32], NullLoggerFactory.Instance));

        // Reported with the other bad settings, not one at a time.
        e.Errors.Select(x => x.Key).ShouldBe(["StreamMasking:Pipeline:BatchMaxRecords", "big.yaml: segments.big"], ignoreOrder: true);
        e.Errors.Single(x => x.Key == "big.yaml: segments.big").Message
            .ShouldContain($"more than the {PolicyLoadedEvent.MaxPartBytes} one audit record may hold");
    }
}

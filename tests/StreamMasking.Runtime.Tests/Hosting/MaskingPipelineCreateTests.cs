using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Hosting;

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
}

using System.Text;
using Confluent.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>Inputs already keyed by segment: only stage "mask" runs, and it still checks every key (fail closed).</summary>
[Collection(KafkaCluster.Collection)]
public sealed class KeyedInputTests(KafkaCluster cluster)
{
    [Fact]
    public async Task RunAsync_InputKeyedBySegment_SkipsRouteStageAndDeadLettersWrongKeys()
    {
        var fixture = new PipelineFixture(cluster);
        fixture.Options.Pipeline.InputKeyedBySegment = true;
        var input = new List<Message<byte[]?, byte[]?>>();
        foreach (var segment in PipelineFixture.Segments)
        {
            for (var i = 0; i < 10; i++)
            {
                input.Add(Keyed(segment, "{\"tenant\":\"" + segment + "\",\"seq\":" + i + ",\"patient\":{\"id\":\"P-" + i + "\"}}"));
            }
        }

        input.Add(Keyed("alpha", """{"tenant":"beta","seq":100}"""));  // key contradicts the record
        input.Add(Keyed("omega", """{"tenant":"omega","seq":101}""")); // no such segment
        input.Add(Keyed(null, """{"tenant":"gamma","seq":102}"""));    // no key at all
        using var pipeline = fixture.CreatePipeline();
        pipeline.StageNames.ShouldBe(["mask"]);
        await fixture.ProduceInputAsync(pipeline, input);

        var snapshot = await PipelineFixture.RunUntilDrainedAsync(pipeline, input.Count);

        snapshot.Consumed.ShouldBe(input.Count);
        snapshot.Published.ShouldBe(30);
        snapshot.DeadLettersByReason.ShouldHaveSingleItem().ShouldBe(new KeyValuePair<string, long>("unmatched_segment", 3));
        snapshot.IsBalanced.ShouldBeTrue();
        foreach (var segment in PipelineFixture.Segments)
        {
            var records = cluster.DrainCommitted(fixture.MaskedTopic(segment), timeout: TimeSpan.FromSeconds(30));
            records.Count.ShouldBe(10);
            records.ShouldAllBe(r => Records.Header(r.Message, RecordHeaders.SourceTopic) == fixture.InputTopic);
        }
    }

    private static Message<byte[]?, byte[]?> Keyed(string? key, string json) => new()
    {
        Key = key is null ? null : Encoding.UTF8.GetBytes(key),
        Value = Encoding.UTF8.GetBytes(json),
    };
}

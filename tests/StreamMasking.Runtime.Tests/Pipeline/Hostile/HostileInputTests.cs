using System.Text.Json;
using Confluent.Kafka;
using StreamMasking.Runtime.Tests.Windowing.Integration;
using StreamMasking.Testing;
using Xunit.Abstractions;

namespace StreamMasking.Runtime.Tests.Pipeline.Hostile;

/// <summary>
/// Over 100,000 hostile records mixed with valid ones through the whole pipeline on the broker: no stage stops, the count invariant
/// holds exactly, and every dead letter names a reason. (The local broker runs in this process and keeps its log in
/// memory, so the test process's heap says nothing about the pipeline's: the service's own memory under load is
/// watched in the chaos and soak runs, where it is a process of its own.)
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class HostileInputTests(KafkaCluster cluster, ITestOutputHelper output)
{
    // 24 of every 26 records are hostile, and so are the few near the size limit: 101,541 hostile, 8,459 valid.
    private const int Records = 110_000;

    private static Func<string, string> Policy => prefix => $$"""
        version: "hostile-1"
        maskedTopic: "{{prefix}}.{segment}"
        segments:
          - name: visits
            match: { field: type, equals: visit }
            fields:
              seq: keep
              patient.id: tokenize
              cost: { action: laplace, epsilon: 1, clamp: { min: 0, max: 1000 } }
              kind: { action: randomized-response, epsilon: 1, categories: [checkup, emergency] }
            privacyUnit: { field: patient.id, maxEventsPerWindow: 5, overCap: strip-noised-fields }
            window: { size: 1m, grace: 10s }
            budget: { accountant: basic, perWindow: { epsilon: 2 }, lifetime: { epsilon: 100000 } }
            aggregates:
              - { name: n, kind: count, epsilon: 0.5 }
              - { name: cost, kind: sum, field: cost, clamp: { min: 0, max: 1000 }, epsilon: 0.5 }
          - name: payments
            match: { field: type, equals: payment }
            fields:
              seq: keep
              patient.id: tokenize
              amount: { action: gaussian, epsilon: 1, delta: 1e-6, clamp: { min: 0, max: 100 } }
              method: { action: partial, keepFirst: 1 }
              at: { action: generalize, bucket: 3600000 }
        """;

    [Fact]
    public async Task HostileRecords_OverHundredThousandMixedWithValid_NoCrashAndEveryRecordAccountedFor()
    {
        Enumerable.Range(0, Records).Count(HostileRecords.IsHostile).ShouldBeGreaterThanOrEqualTo(100_000);
        using var fixture = new DpPipelineFixture(cluster, Policy);
        using var pipeline = fixture.CreatePipeline();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        var random = new Random(20261203);
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig(c =>
               {
                   c.EnableIdempotence = true;
                   c.MessageMaxBytes = 1_000_000;
               })).Build())
        {
            for (var i = 0; i < Records; i++)
            {
                while (true)
                {
                    try
                    {
                        producer.Produce(new TopicPartition(fixture.InputTopic, 0), HostileRecords.Create(i, random));
                        break;
                    }
                    catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(50));
                    }
                }
            }

            producer.Flush(TimeSpan.FromMinutes(2)).ShouldBe(0);
        }

        var s = await DpPipelineFixture.RunUntilAsync(pipeline, Records, releases: 0);
        output.WriteLine(DpPipelineFixture.Describe(s));

        s.Consumed.ShouldBe(Records);
        s.IsBalanced.ShouldBeTrue(DpPipelineFixture.Describe(s));
        var deadLetters = fixture.DeadLetters();
        deadLetters.Count.ShouldBe((int)s.DeadLettered);
        var reasons = deadLetters.Select(d => JsonDocument.Parse(d.Message.Value!).RootElement.GetProperty("reason").GetString()).ToList();
        reasons.ShouldAllBe(r => !string.IsNullOrEmpty(r));
        foreach (var reason in reasons.GroupBy(r => r).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"{reason.Key}: {reason.Count()}");
        }

        (fixture.Masked("visits").Count + fixture.Masked("payments").Count).ShouldBe((int)s.Published);
    }
}

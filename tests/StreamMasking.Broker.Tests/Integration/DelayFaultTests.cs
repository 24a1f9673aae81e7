using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Broker.Tests.Integration;

[Collection(KafkaCluster.Collection)]
public sealed class DelayFaultTests(KafkaCluster cluster)
{
    [SkippableFact]
    public async Task DelayedProduceResponses_LongerThanMessageTimeout_DeliveryTimesOut()
    {
        Skip.IfNot(cluster.SupportsFaultInjection, cluster.FaultInjectionSkipReason);
        var topic = await cluster.CreateTopicAsync(partitions: 1);

        // Warm up metadata first so that only the produce request is delayed.
        await cluster.ProduceAsync(topic, [new Message<byte[]?, byte[]?> { Value = [0] }]);
        cluster.Faults!.DelayResponses(apiKey: 0, TimeSpan.FromSeconds(60));
        using var resetFaults = cluster.ResetFaultsAtEnd();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig(c =>
        {
            c.MessageTimeoutMs = 2000;
            c.RequestTimeoutMs = 1000;
        })).Build();
        var error = await Should.ThrowAsync<ProduceException<byte[]?, byte[]?>>(
            () => producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = [1] }));
        error.Error.Code.ShouldBe(ErrorCode.Local_MsgTimedOut);
    }
}

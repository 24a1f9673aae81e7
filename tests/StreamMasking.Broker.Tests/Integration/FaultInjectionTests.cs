using System.Text;
using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Broker.Tests.Integration;

[Collection(KafkaCluster.Collection)]
public sealed class FaultInjectionTests(KafkaCluster cluster)
{
    [SkippableFact]
    public async Task StalledPartition_ProduceWaitsUntilResumed_ThenDelivers()
    {
        Skip.IfNot(cluster.SupportsFaultInjection, cluster.FaultInjectionSkipReason);
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        cluster.Faults!.StallPartition(topic, 0);
        using var resetFaults = cluster.ResetFaultsAtEnd();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig()).Build();
        var delivery = producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = [1] });

        // While stalled, nothing becomes visible.
        cluster.DrainUncommitted(topic, TimeSpan.FromSeconds(30)).ShouldBeEmpty();
        delivery.IsCompleted.ShouldBeFalse();

        cluster.Faults.ResumePartition(topic, 0);
        (await delivery.WaitAsync(TimeSpan.FromSeconds(60))).Offset.Value.ShouldBe(0);
    }

    [SkippableFact]
    public async Task StalledPartition_FetchReturnsNothing_UntilResumed()
    {
        Skip.IfNot(cluster.SupportsFaultInjection, cluster.FaultInjectionSkipReason);
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        await cluster.ProduceAsync(topic, [new Message<byte[]?, byte[]?> { Value = Encoding.UTF8.GetBytes("x") }]);
        cluster.Faults!.StallPartition(topic, 0);
        using var resetFaults = cluster.ResetFaultsAtEnd();
        cluster.DrainUncommitted(topic, TimeSpan.FromSeconds(3), expectedCount: 1).ShouldBeEmpty();
        cluster.Faults.ResumePartition(topic, 0);
        cluster.DrainUncommitted(topic).ShouldHaveSingleItem();
    }

    [SkippableFact]
    public async Task InjectedNonRetriableError_SurfacesToProducer()
    {
        Skip.IfNot(cluster.SupportsFaultInjection, cluster.FaultInjectionSkipReason);
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        cluster.Faults!.InjectErrors(apiKey: 0, errorCode: 10 /* MESSAGE_TOO_LARGE */, count: 1);
        using var resetFaults = cluster.ResetFaultsAtEnd();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig()).Build();
        var error = await Should.ThrowAsync<ProduceException<byte[]?, byte[]?>>(() => producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = [1] }));
        error.Error.Code.ShouldBe(ErrorCode.MsgSizeTooLarge);
        (await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = [2] })).Status.ShouldBe(PersistenceStatus.Persisted);
    }

    [SkippableFact]
    public async Task DropConnections_ByClientId_DropsOnlyThatClient()
    {
        Skip.IfNot(cluster.SupportsFaultInjection, cluster.FaultInjectionSkipReason);
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig(c => c.ClientId = "drop-me")).Build();
        await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = [1] });

        cluster.Faults!.DropConnections("no-such-client").ShouldBe(0);
        cluster.Faults.DropConnections("drop-me").ShouldBeGreaterThan(0);

        // The client reconnects by itself.
        (await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Value = [2] })).Offset.Value.ShouldBe(1);
    }
}

using Confluent.Kafka;

namespace StreamMasking.Broker.Tests.Integration;

/// <summary>auto.create.topics semantics, on private brokers with the option on and off.</summary>
public sealed class AutoCreateTopicsTests
{
    [Fact]
    public async Task Produce_UnknownTopicWithAutoCreate_CreatesTopicWithDefaultPartitions()
    {
        await using var broker = await LocalBroker.StartAsync(new LocalBrokerOptions { DefaultPartitions = 5 });
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var report = await producer.ProduceAsync("auto-created", new Message<byte[]?, byte[]?> { Value = [1] });
        report.Status.ShouldBe(PersistenceStatus.Persisted);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        admin.GetMetadata("auto-created", TimeSpan.FromSeconds(30)).Topics.Single().Partitions.Count.ShouldBe(5);
    }

    [Fact]
    public async Task Produce_UnknownTopicWithoutAutoCreate_FailsAndCreatesNothing()
    {
        await using var broker = await LocalBroker.StartAsync(new LocalBrokerOptions { AutoCreateTopics = false });
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            MessageTimeoutMs = 5000,
        }).Build();
        var error = await Should.ThrowAsync<ProduceException<byte[]?, byte[]?>>(
            () => producer.ProduceAsync("not-there", new Message<byte[]?, byte[]?> { Value = [1] }));
        error.Error.Code.ShouldBeOneOf(ErrorCode.Local_UnknownTopic, ErrorCode.UnknownTopicOrPart, ErrorCode.Local_MsgTimedOut);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        admin.GetMetadata(TimeSpan.FromSeconds(30)).Topics.ShouldNotContain(t => t.Topic == "not-there");
    }
}

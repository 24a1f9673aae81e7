using System.Text;
using Confluent.Kafka;
using StreamMasking.Testing;

namespace StreamMasking.Broker.Tests.Integration;

[Collection(KafkaCluster.Collection)]
public sealed class IdempotenceTests(KafkaCluster cluster)
{
    private const short Produce = 0;
    private const short NotEnoughReplicas = 19;

    private async Task<List<string>> ProduceSequentiallyAsync(string topic, int count, bool idempotent)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig(c =>
        {
            c.EnableIdempotence = idempotent;
            c.Acks = Acks.All;
            c.RetryBackoffMs = 10;
            c.LingerMs = 0;
        })).Build();
        var sent = new List<string>();
        var tasks = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var value = $"v{i}";
            sent.Add(value);
            tasks.Add(producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = [1], Value = Encoding.UTF8.GetBytes(value) }));
            if (i % 10 == 9)
            {
                await Task.WhenAll(tasks);
            }
        }

        await Task.WhenAll(tasks);
        return sent;
    }

    private List<string> Drain(string topic) =>
        cluster.DrainCommitted(topic).Select(r => Encoding.UTF8.GetString(r.Message.Value!)).ToList();

    [SkippableFact]
    public async Task IdempotentProducer_ResponsesLostAfterAppend_NoDuplicates()
    {
        Skip.IfNot(cluster.SupportsFaultInjection, cluster.FaultInjectionSkipReason);
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        cluster.Faults!.DropConnectionAfterHandling(Produce, 3);
        using var resetFaults = cluster.ResetFaultsAtEnd();
        var sent = await ProduceSequentiallyAsync(topic, 100, idempotent: true);
        Drain(topic).ShouldBe(sent);
    }

    [SkippableFact]
    public async Task PlainProducer_ResponsesLostAfterAppend_DuplicatesAppear()
    {
        // The control experiment: the same fault without idempotence really does duplicate, so the test above can fail.
        Skip.IfNot(cluster.SupportsFaultInjection, cluster.FaultInjectionSkipReason);
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        cluster.Faults!.DropConnectionAfterHandling(Produce, 3);
        using var resetFaults = cluster.ResetFaultsAtEnd();
        await ProduceSequentiallyAsync(topic, 100, idempotent: false);
        var consumed = Drain(topic);
        consumed.Count.ShouldBeGreaterThan(100);
        consumed.Distinct().Count().ShouldBe(100);
    }

    [SkippableFact]
    public async Task IdempotentProducer_RetriableErrorsInjected_AllDeliveredOnceInOrder()
    {
        Skip.IfNot(cluster.SupportsFaultInjection, cluster.FaultInjectionSkipReason);
        var topic = await cluster.CreateTopicAsync(partitions: 1);
        cluster.Faults!.InjectErrors(Produce, NotEnoughReplicas, 5);
        using var resetFaults = cluster.ResetFaultsAtEnd();
        var sent = await ProduceSequentiallyAsync(topic, 60, idempotent: true);
        Drain(topic).ShouldBe(sent);
    }

    [SkippableFact]
    public async Task Consumer_ConnectionsDropped_ResumesWithoutLossOrDuplicates()
    {
        Skip.IfNot(cluster.SupportsFaultInjection, cluster.FaultInjectionSkipReason);
        var topic = await cluster.CreateTopicAsync(partitions: 2);
        var sent = await ProduceSequentiallyAsync(topic, 50, idempotent: true);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(cluster.ConsumerConfig()).Build();
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offset.Beginning), new TopicPartitionOffset(topic, 1, Offset.Beginning)]);
        var received = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (received.Count < sent.Count && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
            {
                continue;
            }

            received.Add(Encoding.UTF8.GetString(result.Message.Value!));
            if (received.Count % 10 == 0)
            {
                cluster.Faults!.DropConnections();
            }
        }

        received.Order().ShouldBe(sent.Order());
    }
}

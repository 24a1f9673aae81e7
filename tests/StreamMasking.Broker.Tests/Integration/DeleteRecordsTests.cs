using Confluent.Kafka;
using StreamMasking.Broker.Tests.Groups;

namespace StreamMasking.Broker.Tests.Integration;

/// <summary>DeleteRecords (21) through Confluent.Kafka's AdminClient, on a broker with a data directory.</summary>
public sealed class DeleteRecordsTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "sm-delete-records-" + Guid.NewGuid().ToString("N"));
    private CoordinatorTestBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await CoordinatorTestBroker.StartAsync(o => o.DataDirectory = _dataDirectory);

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task DeleteRecordsAsync_MidPartition_StartMovesFetchBelowOutOfRangeAndSurvivesRestart()
    {
        var topic = await _broker.CreateTopicAsync(1);
        using (var producer = new ProducerBuilder<string, string>(_broker.PlainProducerConfig()).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" + i });
            }
        }

        using (var admin = Admin())
        {
            var results = await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 6)]);
            results.Single().Offset.Value.ShouldBe(6);
        }

        AssertStartsAt(topic, 6);
        await _broker.RestartAsync();
        AssertStartsAt(topic, 6);

        using var again = Admin();
        (await again.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, Offset.End)])).Single().Offset.Value.ShouldBe(10);
        var beyond = await Should.ThrowAsync<Confluent.Kafka.Admin.DeleteRecordsException>(() =>
            again.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 11)]));
        beyond.Results.Single().Error.Code.ShouldBe(ErrorCode.OffsetOutOfRange);
    }

    private void AssertStartsAt(string topic, long start)
    {
        using var consumer = new ConsumerBuilder<string, string>(_broker.ConsumerConfig("dr-" + Guid.NewGuid())).Build();
        var tp = new TopicPartition(topic, 0);
        consumer.QueryWatermarkOffsets(tp, CoordinatorTestBroker.Timeout).Low.Value.ShouldBe(start, "ListOffsets(earliest)");

        // Reading from the beginning starts at the new log start; the deleted records are gone.
        consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
        consumer.Consume(CoordinatorTestBroker.Timeout).ShouldNotBeNull().Offset.Value.ShouldBe(start);
        consumer.Unassign();

        // An explicit fetch below it answers OFFSET_OUT_OF_RANGE: with auto.offset.reset=error the client reports it.
        using var strict = new ConsumerBuilder<string, string>(new ConsumerConfig(_broker.ConsumerConfig("dr-" + Guid.NewGuid()))
        {
            AutoOffsetReset = AutoOffsetReset.Error,
        }).Build();
        strict.Assign(new TopicPartitionOffset(tp, new Offset(start - 2)));
        var error = Should.Throw<ConsumeException>(() => strict.Consume(CoordinatorTestBroker.Timeout));
        error.Error.Code.ShouldBe(ErrorCode.Local_AutoOffsetReset);
    }

    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _broker.BootstrapServers }).Build();
}

using Confluent.Kafka;

namespace StreamMasking.Host.Demo;

/// <summary>
/// The demo's downstream view of a few topics: a read_committed consumer in a fresh group from the earliest offset,
/// on a long-running thread, handing every record with a value to <c>onRecord</c> until cancelled.
/// </summary>
internal static class CommittedTopicReader
{
    internal static Task RunAsync(string bootstrapServers, string groupPrefix, IReadOnlyList<string> topics,
        Action<ConsumeResult<Ignore, byte[]>, byte[]> onRecord, CancellationToken cancellationToken) => Task.Factory.StartNew(() =>
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupPrefix + Guid.NewGuid().ToString("N"),
            IsolationLevel = IsolationLevel.ReadCommitted,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).SetLogHandler(static (_, _) => { }).Build();
        consumer.Subscribe(topics);
        while (!cancellationToken.IsCancellationRequested)
        {
            ConsumeResult<Ignore, byte[]>? record;
            try
            {
                record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException)
            {
                continue;
            }

            if (record?.Message?.Value is { } value)
            {
                onRecord(record, value);
            }
        }

        consumer.Close();
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}

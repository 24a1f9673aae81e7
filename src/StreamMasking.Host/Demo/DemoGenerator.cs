using Confluent.Kafka;

namespace StreamMasking.Host.Demo;

/// <summary>Produces <see cref="SyntheticEvents"/> at a steady rate until cancelled.</summary>
internal sealed class DemoGenerator : IDisposable
{
    private readonly IProducer<Null, byte[]> _producer;
    private readonly TimeProvider _time;
    private long _produced;

    internal DemoGenerator(string bootstrapServers, TimeProvider time)
    {
        _time = time;
        _producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            ClientId = "streammasking.demo-generator",
            EnableIdempotence = true,
            LingerMs = 5,
        }).SetLogHandler(static (_, _) => { }).Build();
    }

    /// <summary>Records acknowledged by the broker so far.</summary>
    internal long Produced => Interlocked.Read(ref _produced);

    internal async Task RunAsync(int eventsPerSecond, CancellationToken cancellationToken)
    {
        const int TicksPerSecond = 10;
        var perTick = Math.Max(1, eventsPerSecond / TicksPerSecond);
        long sequence = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / TicksPerSecond), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                for (var i = 0; i < perTick; i++)
                {
                    var (topic, value) = SyntheticEvents.Next(sequence++, _time.GetUtcNow());
                    _producer.Produce(topic, new Message<Null, byte[]> { Value = value }, report =>
                    {
                        if (report.Error.Code == ErrorCode.NoError)
                        {
                            Interlocked.Increment(ref _produced);
                        }
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stop producing; what is queued is flushed below.
        }

        _producer.Flush(TimeSpan.FromSeconds(10));
    }

    public void Dispose() => _producer.Dispose();
}

using Confluent.Kafka;

namespace StreamMasking.Benchmarks.Broker;

/// <summary>
/// librdkafka's in-process mock cluster (<c>test.mock.num.brokers</c>), kept alive by the client that created it.
/// Its address is only in that client's log line ("Mock cluster enabled: … replaced with host:port"), so it is
/// read from there; other clients then connect to it over TCP like to any broker.
/// </summary>
internal sealed class MockCluster : IDisposable
{
    private readonly IProducer<Null, Null> _owner;

    private MockCluster(IProducer<Null, Null> owner, string bootstrapServers)
    {
        _owner = owner;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }

    public static MockCluster Start()
    {
        var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var config = new ProducerConfig { BootstrapServers = "unused:9092" };
        config.Set("test.mock.num.brokers", "1");
        var owner = new ProducerBuilder<Null, Null>(config)
            .SetLogHandler((_, log) =>
            {
                const string marker = "replaced with ";
                var at = log.Message.IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0)
                {
                    address.TrySetResult(log.Message[(at + marker.Length)..].Trim());
                }
            })
            .Build();
        if (!address.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            owner.Dispose();
            throw new InvalidOperationException("librdkafka did not report the mock cluster's address.");
        }

        return new MockCluster(owner, address.Task.Result);
    }

    public void Dispose() => _owner.Dispose();
}

using Confluent.Kafka;
using StreamMasking.Host.Demo;

namespace StreamMasking.Host.Tests.Support;

/// <summary>
/// The demo's synthetic events, produced at a steady rate with the current time as event time, so the demo policy's
/// 5 s windows keep closing and releasing while it runs.
/// </summary>
internal sealed class Workload : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;

    private Workload(ServiceUnderTest service, int perSecond, bool clean)
    {
        _task = Task.Run(() => Run(service, perSecond, clean, _stop.Token));
    }

    internal long Produced;

    /// <summary>Starts producing; <paramref name="clean"/> leaves out the deliberately malformed and unroutable events.</summary>
    internal static Workload Start(ServiceUnderTest service, int perSecond = 50, bool clean = false) => new(service, perSecond, clean);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _task;
        _stop.Dispose();
    }

    private void Run(ServiceUnderTest service, int perSecond, bool clean, CancellationToken stop)
    {
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = service.Bootstrap, LingerMs = 5 })
            .SetLogHandler(static (_, _) => { }).Build();
        long sequence = 0;
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < perSecond / 10; i++)
            {
                var at = TimeProvider.System.GetUtcNow();
                var (topic, value) = SyntheticEvents.Next(sequence++, at);
                if (clean && !IsRoutable(value))
                {
                    continue;
                }

                var target = topic == SyntheticEvents.PaymentsTopic ? service.PaymentsTopic : service.VisitsTopic;
                try
                {
                    producer.Produce(target, new Message<Null, byte[]> { Value = value, Timestamp = new Timestamp(at) });
                    Interlocked.Increment(ref Produced);
                }
                catch (ProduceException<Null, byte[]>)
                {
                    // Topic not there yet (the service provisions it): the next tick produces again.
                }
            }

            stop.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
        }

        producer.Flush(TimeSpan.FromSeconds(10));
    }

    private static bool IsRoutable(byte[] value)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(value) is System.Text.Json.Nodes.JsonObject body
                   && body["tenant"]?.GetValue<string>() is "clinic-a" or "clinic-b";
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}

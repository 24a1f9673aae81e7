using System.Security.Cryptography;
using Confluent.Kafka;

namespace StreamMasking.Host.Demo;

/// <summary>
/// Produces <see cref="SyntheticEvents"/> at a steady rate until cancelled. Each record's Kafka timestamp (the event
/// time windows are assigned by) is the moment it is generated, except for a small share of late records.
/// </summary>
internal sealed class DemoGenerator : IDisposable
{
    /// <summary>How old a late record's event time is: far beyond any window's grace in policies/demo.yaml.</summary>
    internal static readonly TimeSpan LateBy = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Late records start only after this warm-up, once every segment has seen current records: a minute-old record
    /// as a segment's very first record would start its windows a minute back, and release a dozen empty ones.
    /// </summary>
    internal static readonly TimeSpan LateAfter = TimeSpan.FromSeconds(10);

    /// <summary>Late records per thousand after the warm-up.</summary>
    internal const int LatePerMille = 5;

    private readonly IProducer<Null, byte[]> _producer;
    private readonly TimeProvider _time;
    private readonly Func<string, byte[], byte[]> _encode;
    private long _produced;
    private long _late;

    /// <param name="bootstrapServers">The embedded broker.</param>
    /// <param name="time">The clock event times come from.</param>
    /// <param name="encode">Turns an event's JSON into the value produced on its topic (default: the JSON as is).</param>
    internal DemoGenerator(string bootstrapServers, TimeProvider time, Func<string, byte[], byte[]>? encode = null)
    {
        _time = time;
        _encode = encode ?? ((_, json) => json);
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

    /// <summary>Records acknowledged with a deliberately old (late) event time.</summary>
    internal long Late => Interlocked.Read(ref _late);

    internal async Task RunAsync(int eventsPerSecond, CancellationToken cancellationToken)
    {
        const int TicksPerSecond = 10;
        var perTick = Math.Max(1, eventsPerSecond / TicksPerSecond);
        long sequence = 0;
        var started = _time.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / TicksPerSecond), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var lateAllowed = _time.GetElapsedTime(started) >= LateAfter;
                for (var i = 0; i < perTick; i++)
                {
                    var late = lateAllowed && RandomNumberGenerator.GetInt32(1000) < LatePerMille;
                    var at = late ? _time.GetUtcNow() - LateBy : _time.GetUtcNow();
                    var (topic, value) = SyntheticEvents.Next(sequence++, at);
                    _producer.Produce(topic, new Message<Null, byte[]> { Value = _encode(topic, value), Timestamp = new Timestamp(at) }, report =>
                    {
                        if (report.Error.Code == ErrorCode.NoError)
                        {
                            Interlocked.Increment(ref _produced);
                            if (late)
                            {
                                Interlocked.Increment(ref _late);
                            }
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

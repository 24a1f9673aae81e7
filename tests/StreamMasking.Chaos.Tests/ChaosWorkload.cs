using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// The driver: keyed, sequenced records over every input partition at a steady rate, for three segments (two with
/// DP windows) plus a share of records that must be dead-lettered (unmatched, malformed). Event time advances by a
/// fixed step per record, so window content is a function of the input alone and an uninterrupted run over the
/// same input seals the same windows. Every produced record is remembered by its coordinates for the verifier.
/// </summary>
internal sealed class ChaosWorkload
{
    /// <summary>2024-01-01T00:00:00Z: event times are offsets from it.</summary>
    internal const long T0 = 1_704_067_200_000;

    /// <summary>Event time between consecutive records.</summary>
    internal const long EventStepMs = 25;

    private const int Keys = 60;
    private readonly Dictionary<string, int> _seqByKey = [];
    private long _records;

    internal ChaosWorkload(string inputTopic, int partitions)
    {
        InputTopic = inputTopic;
        Partitions = partitions;
    }

    internal string InputTopic { get; }

    internal int Partitions { get; }

    internal long Produced => _records;

    internal long LastEventTime => T0 + (_records * EventStepMs);

    /// <summary>Produces at <paramref name="recordsPerSecond"/> until <paramref name="stop"/>; survives broker outages.</summary>
    internal async Task RunAsync(string bootstrapServers, int recordsPerSecond, CancellationToken stop)
    {
        using var producer = CreateProducer(bootstrapServers);
        var tick = TimeSpan.FromMilliseconds(100);
        var perTick = Math.Max(1, recordsPerSecond / 10);
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < perTick; i++)
            {
                ProduceNext(producer);
            }

            try
            {
                await Task.Delay(tick, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        // Idempotent producer with unlimited retries: everything handed to it is delivered once, outage or not.
        while (producer.Flush(TimeSpan.FromSeconds(5)) > 0)
        {
        }
    }

    /// <summary>Produces <paramref name="count"/> records at once.</summary>
    internal void Produce(string bootstrapServers, int count)
    {
        using var producer = CreateProducer(bootstrapServers);
        for (var i = 0; i < count; i++)
        {
            ProduceNext(producer);
        }

        while (producer.Flush(TimeSpan.FromSeconds(5)) > 0)
        {
        }
    }

    /// <summary>
    /// One visit and one payment per input partition, far enough ahead in event time to close every window the run
    /// opened: without them the last windows would wait for records that never come.
    /// </summary>
    internal void ProduceFlush(string bootstrapServers, long aheadMs)
    {
        using var producer = CreateProducer(bootstrapServers);
        var at = LastEventTime + aheadMs;
        for (var p = 0; p < Partitions; p++)
        {
            foreach (var type in new[] { "visit", "payment" })
            {
                var value = new JsonObject { ["type"] = type, ["key"] = "flush", ["seq"] = p, ["patient"] = new JsonObject { ["id"] = "flush" }, ["amount"] = 1, ["method"] = "card" };
                _records++;
                producer.Produce(new TopicPartition(InputTopic, p), Message("flush-" + p.ToString(CultureInfo.InvariantCulture), value.ToJsonString(), at));
            }
        }

        while (producer.Flush(TimeSpan.FromSeconds(5)) > 0)
        {
        }
    }

    private void ProduceNext(IProducer<byte[]?, byte[]?> producer)
    {
        var n = _records++;
        var key = "k" + (n % Keys).ToString(CultureInfo.InvariantCulture);
        var seq = _seqByKey[key] = _seqByKey.GetValueOrDefault(key) + 1;
        var at = T0 + (n * EventStepMs);
        var patient = "P" + (n % 23).ToString(CultureInfo.InvariantCulture);
        string value = (n % 20) switch
        {
            0 => "{\"type\": \"visit\", \"truncated", // malformed: dead-lettered by route
            1 => new JsonObject { ["type"] = "unknown", ["key"] = key, ["seq"] = seq }.ToJsonString(), // unmatched
            < 9 => new JsonObject
            {
                ["type"] = "visit", ["key"] = key, ["seq"] = seq, ["patient"] = new JsonObject { ["id"] = patient, ["name"] = "Name " + patient },
                ["cost"] = (double)(n % 500),
            }.ToJsonString(),
            < 15 => new JsonObject
            {
                ["type"] = "payment", ["key"] = key, ["seq"] = seq, ["patient"] = new JsonObject { ["id"] = patient },
                ["amount"] = (double)(n % 97), ["method"] = (n % 3) switch { 0 => "card", 1 => "cash", _ => "transfer" },
            }.ToJsonString(),
            _ => new JsonObject { ["type"] = "note", ["key"] = key, ["seq"] = seq, ["email"] = patient + "@example.org" }.ToJsonString(),
        };
        producer.Produce(InputTopic, Message(key, value, at));
    }

    private static Message<byte[]?, byte[]?> Message(string key, string value, long timestampMs) => new()
    {
        Key = Encoding.UTF8.GetBytes(key),
        Value = Encoding.UTF8.GetBytes(value),
        Timestamp = new Timestamp(timestampMs, TimestampType.CreateTime),
    };

    private static IProducer<byte[]?, byte[]?> CreateProducer(string bootstrapServers) =>
        new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = 0, // never give up: a broker outage is part of the test
            LingerMs = 5,
            Partitioner = Partitioner.Murmur2Random,
        }).SetLogHandler((_, _) => { }).Build();
}

using Confluent.Kafka;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Testing.Kafka;

namespace StreamMasking.Runtime.Tests.Processing;

/// <summary>How often the timestamp-ordered buffer reads its consumer (on the fake clients: calls are counted).</summary>
public sealed class TimestampOrderedBufferReadTests
{
    private const int Partitions = 3;
    private const int PerPartition = 1_000;

    [Fact]
    public void Next_BacklogOnEveryPartition_TimestampOrderWithAReadPerHundredRecordsNotPerRecord()
    {
        var clients = new FakeKafkaClientFactory();
        for (var p = 0; p < Partitions; p++)
        {
            // Interleaved timestamps: partition p holds p, p + 3, p + 6, … so the order alternates between partitions.
            clients.Broker.Feed("in", p, [.. Enumerable.Range(0, PerPartition).Select(i => new Message<byte[]?, byte[]?>
            {
                Value = [(byte)p],
                Timestamp = new Timestamp(1_000 + (i * Partitions) + p, TimestampType.CreateTime),
            })]);
        }

        using var consumer = ((IKafkaClientFactory)clients).CreateConsumer("g", null, "route", _ => { });
        consumer.Subscribe("in");
        var buffer = new TimestampOrderedBuffer(64L * 1024 * 1024, TimeSpan.FromSeconds(30), TimeProvider.System);
        var timestamps = new List<long>();
        for (var calls = 0; timestamps.Count < Partitions * PerPartition && calls < 100_000; calls++)
        {
            if (buffer.Next(consumer, TimeSpan.FromMilliseconds(50)) is { } record)
            {
                timestamps.Add(record.Message.Timestamp.UnixTimestampMs);
            }
        }

        timestamps.ShouldBe(Enumerable.Range(0, Partitions * PerPartition).Select(i => 1_000L + i));
        // Each read returns one record or nothing. Reading again for every record found nothing almost every time once
        // the backlog was buffered, and an empty read of librdkafka's queue cost more than routing the record (about
        // 20 µs); with records buffered the buffer reads again only every 128 records.
        var emptyReads = clients.Failures.Calls(nameof(IConsumer<byte[], byte[]>.Consume)) - (Partitions * PerPartition);
        emptyReads.ShouldBeLessThan(Partitions * PerPartition / 20);
    }
}

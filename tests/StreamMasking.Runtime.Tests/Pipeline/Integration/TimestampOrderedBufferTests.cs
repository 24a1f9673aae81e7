using System.Diagnostics;
using Confluent.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.Pipeline.Integration;

/// <summary>
/// Stage route's timestamp-ordered read over a real consumer: a backlog comes out oldest first, exactly once; the
/// buffer stays within its byte bound by pausing the partitions that hold records; and under the default bound a
/// backlog is read without pausing at all (librdkafka discards what it prefetched for a paused partition, so a
/// pause per thousand records made the route stage wait on refetches most of the time).
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class TimestampOrderedBufferTests(KafkaCluster cluster)
{
    private const int Partitions = 6;
    private const long T0 = 1_704_067_200_000;

    [Fact]
    public async Task Backlog_DefaultBound_OldestFirstExactlyOnceWithoutPausing()
    {
        var topic = await cluster.CreateTopicAsync(partitions: Partitions);
        const int records = 12_000;
        Produce(topic, records, p => 0, valueBytes: 200);

        var result = Drain(topic, records + Partitions, new TimestampOrderedBuffer(64L * 1024 * 1024, TimeSpan.FromSeconds(30), TimeProvider.System),
            tellAssignment: true);

        result.Timestamps.Count.ShouldBe(records + Partitions);
        result.Offsets.Distinct().Count().ShouldBe(records + Partitions, "every record exactly once");
        OrderedPart(result).ShouldBeInOrder(SortDirection.Ascending);
        result.MostPaused.ShouldBe(0, "12,000 records of 200 B fit the default bound: no partition is paused");
    }

    [Fact]
    public async Task OnePartitionFarAhead_SmallBound_PausesAndStaysBounded_NothingLostOrDuplicated()
    {
        var topic = await cluster.CreateTopicAsync(partitions: Partitions);
        const int records = 12_000;
        const int valueBytes = 1_000;
        // Partition 0's records (2,000 of 1 kB) are an hour ahead of the others: they wait in the buffer until the
        // others have caught up, so without the bound the buffer would hold all of them (2 MB).
        Produce(topic, records, p => p == 0 ? 3_600_000 : 0, valueBytes);
        const long bound = 256 * 1024;

        var result = Drain(topic, records + Partitions, new TimestampOrderedBuffer(bound, TimeSpan.FromSeconds(30), TimeProvider.System),
            tellAssignment: false);

        result.Timestamps.Count.ShouldBe(records + Partitions);
        result.Offsets.Distinct().Count().ShouldBe(records + Partitions, "every record exactly once, also across pause and resume");
        OrderedPart(result).ShouldBeInOrder(SortDirection.Ascending);
        result.MostPaused.ShouldBeGreaterThan(0, "over the bound, the partitions holding records are paused");
        // Past the bound: per partition, the record that crossed it and what the consumer had queued or in flight
        // before the pause took effect (librdkafka pauses asynchronously; ≤ 64 KiB queued + one 64 KiB fetch here).
        var allowed = bound + (Partitions * ((valueBytes + 4) + (128 * 1024)));
        allowed.ShouldBeLessThan(2_000 * valueBytes, "the test must be able to tell a bounded buffer from an unbounded one");
        result.MostBytes.ShouldBeLessThanOrEqualTo(allowed);
    }

    // Each partition ends with a sentinel record: the buffer cannot tell a partition's one unread record from the
    // commit marker a transaction leaves at its end, so it does not wait for a last single record. The order is
    // checked on everything before the sentinels.
    private const long SentinelTime = T0 + 36_000_000;

    private static List<long> OrderedPart(DrainResult result) => result.Timestamps.Where(t => t < SentinelTime).ToList();

    private sealed record DrainResult(List<long> Timestamps, List<(int, long)> Offsets, int MostPaused, long MostBytes);

    private DrainResult Drain(string topic, int records, TimestampOrderedBuffer buffer, bool tellAssignment)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(cluster.ConsumerConfig(c =>
        {
            c.GroupId = topic + "-reader";
            c.EnableAutoCommit = false;
            c.IsolationLevel = IsolationLevel.ReadCommitted;
            // Small fetches and a small prefetch queue, so that what arrives after a pause is small and known.
            c.MaxPartitionFetchBytes = 16 * 1024;
            c.FetchMaxBytes = 64 * 1024;
            c.MessageMaxBytes = 64 * 1024;
            c.FetchWaitMaxMs = 10;
            c.FetchQueueBackoffMs = 5;
            c.QueuedMaxMessagesKbytes = 64;
        })).Build();
        var partitions = Enumerable.Range(0, Partitions).Select(p => new TopicPartition(topic, p)).ToList();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        if (tellAssignment)
        {
            buffer.Assigned(partitions);
        }

        var timestamps = new List<long>(records);
        var offsets = new List<(int, long)>(records);
        var mostPaused = 0;
        var mostBytes = 0L;
        var deadline = Stopwatch.StartNew();
        while (timestamps.Count < records && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            var record = buffer.Next(consumer, TimeSpan.FromMilliseconds(100));
            mostPaused = Math.Max(mostPaused, buffer.PausedPartitions);
            mostBytes = Math.Max(mostBytes, buffer.BufferedBytes);
            if (record is null)
            {
                continue;
            }

            timestamps.Add(record.Message.Timestamp.UnixTimestampMs);
            offsets.Add((record.Partition.Value, record.Offset.Value));
        }

        consumer.Close();
        return new DrainResult(timestamps, offsets, mostPaused, mostBytes);
    }

    // Record i goes to partition i % 6 at T0 + i ms (plus the partition's offset): interleaved event times.
    private void Produce(string topic, int records, Func<int, long> aheadMs, int valueBytes)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig()).Build();
        var value = new byte[valueBytes];
        for (var i = 0; i < records; i++)
        {
            var partition = i % Partitions;
            producer.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?>
            {
                Key = BitConverter.GetBytes(i),
                Value = value,
                Timestamp = new Timestamp(T0 + i + aheadMs(partition), TimestampType.CreateTime),
            });
            if (i % 1000 == 999)
            {
                producer.Poll(TimeSpan.Zero);
            }
        }

        for (var partition = 0; partition < Partitions; partition++)
        {
            producer.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]?>
            {
                Key = BitConverter.GetBytes(-1 - partition), Value = value, Timestamp = new Timestamp(SentinelTime, TimestampType.CreateTime),
            });
        }

        producer.Flush(TimeSpan.FromMinutes(1)).ShouldBe(0);
    }
}

using Confluent.Kafka;

namespace StreamMasking.Runtime.State;

/// <summary>
/// Reads changelog partitions with an assign-only, read_committed consumer: records of aborted transactions and
/// control records are skipped by the client, and the end offset it reports is the last stable offset (LSO), so a
/// restore never applies data of a transaction that is still open. A second, read_uncommitted consumer only
/// answers offset queries: its end offset is the high watermark, which tells whether a transaction is open at all
/// (see <see cref="ChangelogStability"/>).
/// </summary>
internal sealed class KafkaChangelogReader : IChangelogReader, IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(200);
    private const int MaxBatchRecords = 1000;

    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly IConsumer<byte[]?, byte[]?> _uncommitted;
    private readonly TimeSpan _requestTimeout;

    /// <param name="baseConfig">Connection and security settings; the restore settings are forced on top.</param>
    /// <param name="requestTimeout">Timeout of one offset query.</param>
    internal KafkaChangelogReader(ConsumerConfig baseConfig, TimeSpan requestTimeout)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(baseConfig, StringComparer.Ordinal))
        {
            // The client insists on a group id; partitions are assigned directly and nothing is committed, so the
            // group is never joined and its offsets are never used.
            GroupId = baseConfig.GroupId ?? "streammasking-state-restore",
            IsolationLevel = IsolationLevel.ReadCommitted,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var uncommitted = new ConsumerConfig(new Dictionary<string, string>(config, StringComparer.Ordinal))
        {
            IsolationLevel = IsolationLevel.ReadUncommitted,
        };
        _uncommitted = new ConsumerBuilder<byte[]?, byte[]?>(uncommitted).Build();
        _requestTimeout = requestTimeout;
    }

    public ChangelogOffsets GetOffsets(string topic, int partition, CancellationToken cancellationToken)
    {
        var tp = new TopicPartition(topic, partition);
        // ListOffsets(latest) answers by the isolation level of the request: the high watermark for read_uncommitted,
        // the last stable offset for read_committed. The high watermark first: a stable answer then covers it.
        var high = _uncommitted.QueryWatermarkOffsets(tp, _requestTimeout);
        cancellationToken.ThrowIfCancellationRequested();
        var stable = _consumer.QueryWatermarkOffsets(tp, _requestTimeout);
        return new ChangelogOffsets(stable.Low.Value, stable.High.Value, high.High.Value);
    }

    public long Read(string topic, int partition, long from, long end,
        Action<IReadOnlyList<KeyValuePair<byte[], byte[]?>>, long> applyBatch, CancellationToken cancellationToken)
    {
        var tp = new TopicPartition(topic, partition);
        var position = from;
        if (position >= end)
        {
            return position;
        }

        var batch = new List<KeyValuePair<byte[], byte[]?>>(MaxBatchRecords);
        _consumer.Assign(new TopicPartitionOffset(tp, new Offset(from)));
        try
        {
            while (position < end)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = Consume();
                if (result is null || result.IsPartitionEOF)
                {
                    // EOF carries the end offset; control records at the tail are skipped without a message.
                    position = Math.Max(position, result?.Offset.Value ?? _consumer.Position(tp).Value);
                    Flush(batch, position, applyBatch);
                    continue;
                }

                if (result.Message.Key is { } key)
                {
                    batch.Add(new KeyValuePair<byte[], byte[]?>(key, result.Message.Value));
                }

                position = result.Offset.Value + 1;
                if (batch.Count >= MaxBatchRecords)
                {
                    Flush(batch, position, applyBatch);
                }
            }

            Flush(batch, position, applyBatch);
            return position;
        }
        finally
        {
            _consumer.Unassign();
        }
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
        _uncommitted.Close();
        _uncommitted.Dispose();
    }

    private ConsumeResult<byte[]?, byte[]?>? Consume()
    {
        try
        {
            return _consumer.Consume(PollTimeout);
        }
        catch (ConsumeException e) when (!e.Error.IsFatal)
        {
            // Retriable (e.g. leader moving): the client refetches; keep polling until caught up or cancelled.
            return null;
        }
    }

    private static void Flush(List<KeyValuePair<byte[], byte[]?>> batch, long position,
        Action<IReadOnlyList<KeyValuePair<byte[], byte[]?>>, long> applyBatch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        applyBatch(batch, position);
        batch.Clear();
    }
}

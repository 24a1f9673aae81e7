using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;
using StreamMasking.Broker.Storage;

namespace StreamMasking.Broker.Handlers;

/// <summary>
/// Fetch (1) v4-12 (v13+ needs topic ids). Sessionless (answers SessionId 0, which tells clients to send full
/// fetch requests). Long-polls up to max_wait_ms until min_bytes are available; read_committed reads up to the
/// LSO and lists the aborted transactions so the client drops their records.
/// </summary>
internal sealed class FetchHandler : IApiHandler
{
    public ApiKey ApiKey => ApiKey.Fetch;

    public short MinVersion => 4;

    public short MaxVersion => 12;

    public short FlexibleFromVersion => 12;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var request = FetchRequest.Read(reader, context.ApiVersion, context.IsFlexible);
        var broker = context.Broker;
        var f = context.IsFlexible;
        var injected = broker.Faults.TryTakeError(ApiKey, out var injectedError);

        var deadline = broker.Time.GetTimestamp();
        var waitMs = Math.Max(0, request.MaxWaitMs);
        List<(string Topic, List<(int Partition, FetchSlice Slice)> Partitions)> results;
        while (true)
        {
            var changed = broker.LogChanged.Next;
            results = ReadAll(broker, request, out var bytes, out var error);
            var elapsed = broker.Time.GetElapsedTime(deadline);
            if (injected || error || bytes >= request.MinBytes || elapsed.TotalMilliseconds >= waitMs)
            {
                break;
            }

            var remaining = TimeSpan.FromMilliseconds(waitMs) - elapsed;
            try
            {
                await changed.WaitAsync(remaining, broker.Time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Deadline reached: answer with what there is.
            }
        }

        writer.WriteInt32(0);
        if (context.ApiVersion >= 7)
        {
            writer.WriteInt16(0);
            writer.WriteInt32(0);
        }
        writer.WriteArrayCount(results.Count, f);
        foreach (var (topic, partitions) in results)
        {
            writer.WriteString(topic, f);
            writer.WriteArrayCount(partitions.Count, f);
            foreach (var (partition, slice) in partitions)
            {
                WritePartition(writer, context.ApiVersion, f, partition, injected ? new FetchSlice(injectedError, [], -1, -1, -1, null) : slice);
            }

            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteEmptyTaggedFields(f);
        return true;
    }

    private static List<(string, List<(int, FetchSlice)>)> ReadAll(BrokerContext broker, FetchRequest request, out long bytes, out bool error)
    {
        bytes = 0;
        error = false;
        long budget = request.MaxBytes;
        var results = new List<(string, List<(int, FetchSlice)>)>();
        foreach (var (topic, partitions) in request.Topics)
        {
            var list = new List<(int, FetchSlice)>();
            foreach (var p in partitions)
            {
                var log = broker.Topics.GetPartition(topic, p.Partition);
                FetchSlice slice;
                if (log is null)
                {
                    slice = new FetchSlice(ErrorCode.UnknownTopicOrPartition, [], -1, -1, -1, null);
                }
                else if (broker.Faults.IsStalled(topic, p.Partition))
                {
                    slice = log.Read(log.HighWatermark, 0, request.ReadCommitted) with { Batches = [] };
                }
                else
                {
                    // KIP-74: the first partition with data returns at least one whole batch even if it exceeds the
                    // limits (so consumers always progress); every later partition stays within both limits.
                    var max = Math.Min(p.MaxBytes, (int)Math.Max(0, budget));
                    slice = log.Read(p.FetchOffset, max, request.ReadCommitted, minOneBatch: bytes == 0);
                }

                error |= slice.Error != ErrorCode.None;
                var size = slice.SizeInBytes;
                bytes += size;
                budget -= size;
                list.Add((p.Partition, slice));
            }

            results.Add((topic, list));
        }

        return results;
    }

    private static void WritePartition(KafkaWriter writer, short version, bool f, int partition, FetchSlice slice)
    {
        writer.WriteInt32(partition);
        writer.WriteInt16((short)slice.Error);
        writer.WriteInt64(slice.HighWatermark);
        writer.WriteInt64(slice.LastStableOffset);
        if (version >= 5)
        {
            writer.WriteInt64(slice.LogStartOffset);
        }

        if (slice.AbortedTransactions is null)
        {
            writer.WriteArrayCount(-1, f);
        }
        else
        {
            writer.WriteArrayCount(slice.AbortedTransactions.Count, f);
            foreach (var aborted in slice.AbortedTransactions)
            {
                writer.WriteInt64(aborted.ProducerId);
                writer.WriteInt64(aborted.FirstOffset);
                writer.WriteEmptyTaggedFields(f);
            }
        }

        if (version >= 11)
        {
            writer.WriteInt32(-1);
        }

        var size = slice.SizeInBytes;
        if (f)
        {
            writer.WriteUnsignedVarInt((uint)size + 1);
        }
        else
        {
            writer.WriteInt32(size);
        }

        foreach (var batch in slice.Batches)
        {
            writer.WriteRaw(batch.Bytes);
        }

        writer.WriteEmptyTaggedFields(f);
    }
}

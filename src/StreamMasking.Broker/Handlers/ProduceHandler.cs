using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Records;
using StreamMasking.Broker.Server;
using StreamMasking.Broker.Storage;

namespace StreamMasking.Broker.Handlers;

/// <summary>
/// Produce (0) v3-9: one record batch v2 per partition (as Kafka requires from v3), appended with broker-assigned
/// offsets. acks=0 gets no response. Batches are stored as produced, whatever their compression codec.
/// </summary>
internal sealed class ProduceHandler : IApiHandler
{
    public ApiKey ApiKey => ApiKey.Produce;

    public short MinVersion => 3;

    public short MaxVersion => 9;

    public short FlexibleFromVersion => 9;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var f = context.IsFlexible;
        var v = context.ApiVersion;
        var broker = context.Broker;
        _ = reader.ReadNullableString(f);
        var acks = reader.ReadInt16();
        _ = reader.ReadInt32();
        var topicCount = reader.ReadArrayCount(f);
        var requests = new List<(string Topic, List<(int Partition, ReadOnlyMemory<byte>? Records)> Partitions)>();
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString(f);
            var partitionCount = reader.ReadArrayCount(f);
            var partitions = new List<(int, ReadOnlyMemory<byte>?)>(Math.Max(0, partitionCount));
            for (var p = 0; p < partitionCount; p++)
            {
                var index = reader.ReadInt32();
                var records = reader.ReadNullableBytes(f);
                reader.SkipTaggedFields(f);
                partitions.Add((index, records));
            }

            reader.SkipTaggedFields(f);
            requests.Add((name, partitions));
        }

        reader.SkipTaggedFields(f);
        var injected = broker.Faults.TryTakeError(ApiKey, out var injectedError);

        var results = new List<(string Topic, List<(int Partition, AppendResult Result)> Partitions)>();
        foreach (var (topic, partitions) in requests)
        {
            var topicResults = new List<(int, AppendResult)>();
            foreach (var (partition, records) in partitions)
            {
                AppendResult result;
                if (injected)
                {
                    result = AppendResult.Failed(injectedError);
                }
                else if (acks is not (-1 or 0 or 1))
                {
                    result = AppendResult.Failed(ErrorCode.InvalidRequiredAcks);
                }
                else
                {
                    result = await AppendAsync(broker, topic, partition, records, cancellationToken);
                }

                topicResults.Add((partition, result));
            }

            results.Add((topic, topicResults));
        }

        if (acks == 0)
        {
            return false;
        }

        writer.WriteArrayCount(results.Count, f);
        foreach (var (topic, partitions) in results)
        {
            writer.WriteString(topic, f);
            writer.WriteArrayCount(partitions.Count, f);
            foreach (var (partition, result) in partitions)
            {
                writer.WriteInt32(partition);
                writer.WriteInt16((short)result.Error);
                writer.WriteInt64(result.BaseOffset);
                writer.WriteInt64(result.LogAppendTime);
                if (v >= 5)
                {
                    writer.WriteInt64(result.LogStartOffset);
                }

                if (v >= 8)
                {
                    writer.WriteArrayCount(0, f);
                    writer.WriteNullableString(result.Error == ErrorCode.None ? null : result.Message, f);
                }

                writer.WriteEmptyTaggedFields(f);
            }

            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteInt32(0);
        writer.WriteEmptyTaggedFields(f);
        return true;
    }

    private static async ValueTask<AppendResult> AppendAsync(BrokerContext broker, string topic, int partition, ReadOnlyMemory<byte>? records, CancellationToken ct)
    {
        var state = broker.Topics.Get(topic);
        if (state is null && broker.Options.AutoCreateTopics && Topics.TopicManager.IsValidName(topic))
        {
            state = broker.Topics.GetOrCreate(topic, broker.DefaultPartitions);
        }

        if (state is null || partition < 0 || partition >= state.Partitions.Count)
        {
            return AppendResult.Failed(ErrorCode.UnknownTopicOrPartition);
        }

        if (records is not { Length: >= RecordBatchHeader.Size } bytes)
        {
            return AppendResult.Failed(ErrorCode.InvalidRecord, "Produce needs exactly one record batch per partition.");
        }

        var span = bytes.Span;
        if (RecordBatchHeader.ReadMagic(span) != 2)
        {
            return AppendResult.Failed(ErrorCode.UnsupportedForMessageFormat, "Only record batch magic 2 is supported.");
        }

        if (RecordBatchHeader.ReadBatchLength(span) + RecordBatchHeader.LogOverhead != bytes.Length)
        {
            return AppendResult.Failed(ErrorCode.InvalidRecord, "Produce needs exactly one record batch per partition.");
        }

        if (state.Config.Compact && !HasKeys(bytes))
        {
            return AppendResult.Failed(ErrorCode.InvalidRecord, "Compacted topic cannot accept message without key.");
        }

        if (broker.Faults.IsStalled(topic, partition))
        {
            await broker.Faults.WhenResumed(topic, partition).WaitAsync(ct);
        }

        return state.Partitions[partition].AppendFromProducer(bytes.Span);
    }

    /// <summary>Kafka refuses keyless records on compacted topics; only checkable when the batch is decodable.</summary>
    private static bool HasKeys(ReadOnlyMemory<byte> batch)
    {
        var codec = (CompressionCodec)(RecordBatchHeader.ReadAttributes(batch.Span) & RecordBatchHeader.CompressionMask);
        if (!RecordCodec.CanDecode(codec))
        {
            return true;
        }

        try
        {
            return RecordCodec.ReadRecords(batch).All(r => r.Key is not null);
        }
        catch (Exception e) when (e is ProtocolException or InvalidDataException)
        {
            return true; // let the CRC check in the log report corruption
        }
    }
}

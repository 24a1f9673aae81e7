using StreamMasking.Broker.Groups;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Transactions.Api;

/// <summary>AddPartitionsToTxn (24) v0-3: registers the partitions a transaction writes to (markers go there on end).</summary>
internal sealed class AddPartitionsToTxnHandler(TransactionCoordinator coordinator) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.AddPartitionsToTxn;

    public short MinVersion => 0;

    public short MaxVersion => 3;

    public short FlexibleFromVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var transactionalId = reader.ReadString(f);
        var producerId = reader.ReadInt64();
        var epoch = reader.ReadInt16();
        var topicCount = reader.ReadArrayCount(f);
        var topics = new List<(string Name, List<int> Partitions)>(Math.Max(topicCount, 0));
        for (var t = 0; t < topicCount; t++)
        {
            var name = reader.ReadString(f);
            var count = reader.ReadArrayCount(f);
            var partitions = new List<int>(Math.Max(count, 0));
            for (var p = 0; p < count; p++)
            {
                partitions.Add(reader.ReadInt32());
            }

            reader.SkipTaggedFields(f);
            topics.Add((name, partitions));
        }

        reader.SkipTaggedFields(f);
        var flat = topics.SelectMany(t => t.Partitions.Select(p => new TopicPartitionKey(t.Name, p))).ToList();
        IReadOnlyList<ErrorCode> errors = context.Broker.Faults.TryTakeError(ApiKey, out var injected)
            ? flat.Select(_ => injected).ToList()
            : coordinator.AddPartitions(transactionalId, producerId, epoch, flat);
        writer.WriteInt32(0);
        writer.WriteArrayCount(topics.Count, f);
        var index = 0;
        foreach (var (name, partitions) in topics)
        {
            writer.WriteString(name, f);
            writer.WriteArrayCount(partitions.Count, f);
            foreach (var partition in partitions)
            {
                writer.WriteInt32(partition);
                writer.WriteInt16((short)FencingErrors.ForVersion(errors[index++], v, 2));
                writer.WriteEmptyTaggedFields(f);
            }

            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}

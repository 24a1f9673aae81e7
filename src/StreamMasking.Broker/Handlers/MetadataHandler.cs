using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Handlers;

/// <summary>
/// Metadata (3) v0-12: this broker is the only broker, leader and sole replica of every partition. Unknown topics
/// are auto-created when both the broker option and the request allow it (v4+ flag), like Kafka.
/// </summary>
internal sealed class MetadataHandler : IApiHandler
{
    public ApiKey ApiKey => ApiKey.Metadata;

    public short MinVersion => 0;

    public short MaxVersion => 12;

    public short FlexibleFromVersion => 9;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var broker = context.Broker;
        List<(string? Name, Guid Id)>? requested = null;
        var count = reader.ReadArrayCount(f);
        if (count >= 0)
        {
            requested = new List<(string?, Guid)>(count);
            for (var i = 0; i < count; i++)
            {
                var id = v >= 10 ? reader.ReadUuid() : Guid.Empty;
                var name = v >= 10 ? reader.ReadNullableString(f) : reader.ReadString(f);
                reader.SkipTaggedFields(f);
                requested.Add((name, id));
            }
        }

        var allowAutoCreate = v < 4 || reader.ReadBool();
        if (v is >= 8 and <= 10)
        {
            _ = reader.ReadBool();
        }

        if (v >= 8)
        {
            _ = reader.ReadBool();
        }

        reader.SkipTaggedFields(f);
        var injected = broker.Faults.TryTakeError(ApiKey, out var injectedError);

        var topics = new List<(ErrorCode Error, string? Name, Guid Id, TopicState? State)>();
        if (requested is null || (v == 0 && requested.Count == 0))
        {
            topics.AddRange(broker.Topics.All().Where(t => !t.IsInternal).Select(t => (ErrorCode.None, (string?)t.Name, t.Id, (TopicState?)t)));
        }
        else
        {
            foreach (var (name, id) in requested)
            {
                topics.Add(Resolve(broker, name, id, allowAutoCreate));
            }
        }

        if (v >= 3)
        {
            writer.WriteInt32(0);
        }

        writer.WriteArrayCount(1, f);
        writer.WriteInt32(broker.NodeId);
        writer.WriteString(broker.AdvertisedHost, f);
        writer.WriteInt32(broker.AdvertisedPort);
        if (v >= 1)
        {
            writer.WriteNullableString(null, f);
        }

        writer.WriteEmptyTaggedFields(f);
        if (v >= 2)
        {
            writer.WriteNullableString(broker.ClusterId, f);
        }

        if (v >= 1)
        {
            writer.WriteInt32(broker.NodeId);
        }

        writer.WriteArrayCount(topics.Count, f);
        foreach (var (error, name, id, state) in topics)
        {
            writer.WriteInt16((short)(injected ? injectedError : error));
            if (v >= 12)
            {
                writer.WriteNullableString(name, f);
            }
            else
            {
                writer.WriteString(name ?? "", f);
            }

            if (v >= 10)
            {
                writer.WriteUuid(state?.Id ?? id);
            }

            if (v >= 1)
            {
                writer.WriteBool(state?.IsInternal ?? false);
            }

            var partitions = injected ? 0 : state?.Partitions.Count ?? 0;
            writer.WriteArrayCount(partitions, f);
            for (var p = 0; p < partitions; p++)
            {
                writer.WriteInt16(0);
                writer.WriteInt32(p);
                writer.WriteInt32(broker.NodeId);
                if (v >= 7)
                {
                    writer.WriteInt32(0);
                }

                WriteNodeList(writer, broker.NodeId, f);
                WriteNodeList(writer, broker.NodeId, f);
                if (v >= 5)
                {
                    writer.WriteArrayCount(0, f);
                }

                writer.WriteEmptyTaggedFields(f);
            }

            if (v >= 8)
            {
                writer.WriteInt32(int.MinValue);
            }

            writer.WriteEmptyTaggedFields(f);
        }

        if (v is >= 8 and <= 10)
        {
            writer.WriteInt32(int.MinValue);
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }

    private static (ErrorCode, string?, Guid, TopicState?) Resolve(BrokerContext broker, string? name, Guid id, bool allowAutoCreate)
    {
        if (name is null)
        {
            var byId = broker.Topics.GetById(id);
            return byId is null ? (ErrorCode.UnknownTopicId, null, id, null) : (ErrorCode.None, byId.Name, byId.Id, byId);
        }

        var topic = broker.Topics.Get(name);
        if (topic is not null)
        {
            return (ErrorCode.None, name, topic.Id, topic);
        }

        if (!TopicManager.IsValidName(name))
        {
            return (ErrorCode.InvalidTopicException, name, Guid.Empty, null);
        }

        if (allowAutoCreate && broker.Options.AutoCreateTopics)
        {
            // Kafka answers the creating request with LEADER_NOT_AVAILABLE; a local broker has the leader at once.
            var created = broker.Topics.GetOrCreate(name, broker.DefaultPartitions);
            return (ErrorCode.None, name, created.Id, created);
        }

        return (ErrorCode.UnknownTopicOrPartition, name, Guid.Empty, null);
    }

    private static void WriteNodeList(KafkaWriter writer, int nodeId, bool flexible)
    {
        writer.WriteArrayCount(1, flexible);
        writer.WriteInt32(nodeId);
    }
}

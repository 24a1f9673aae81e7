using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Diagnostics;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Handlers;

/// <summary>CreateTopics (19) v2-7. Replication factor must be -1 or 1 (one broker); -1 partitions = the default count.</summary>
internal sealed class CreateTopicsHandler(ILogger logger) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.CreateTopics;

    public short MinVersion => 2;

    public short MaxVersion => 7;

    public short FlexibleFromVersion => 5;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var broker = context.Broker;
        var topics = new List<(string Name, int Partitions, short Replication, bool HasAssignments, Dictionary<string, string> Configs)>();
        var count = reader.ReadArrayCount(f);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString(f);
            var partitions = reader.ReadInt32();
            var replication = reader.ReadInt16();
            var assignments = reader.ReadArrayCount(f);
            for (var a = 0; a < assignments; a++)
            {
                _ = reader.ReadInt32();
                var brokers = reader.ReadArrayCount(f);
                for (var b = 0; b < brokers; b++)
                {
                    _ = reader.ReadInt32();
                }

                reader.SkipTaggedFields(f);
            }

            var configs = new Dictionary<string, string>(StringComparer.Ordinal);
            var configCount = reader.ReadArrayCount(f);
            for (var c = 0; c < configCount; c++)
            {
                var key = reader.ReadString(f);
                var value = reader.ReadNullableString(f);
                reader.SkipTaggedFields(f);
                if (value is not null)
                {
                    configs[key] = value;
                }
            }

            reader.SkipTaggedFields(f);
            topics.Add((name, partitions, replication, assignments > 0, configs));
        }

        _ = reader.ReadInt32();
        var validateOnly = reader.ReadBool();
        reader.SkipTaggedFields(f);
        var injected = broker.Faults.TryTakeError(ApiKey, out var injectedError);

        writer.WriteInt32(0);
        writer.WriteArrayCount(topics.Count, f);
        foreach (var topic in topics)
        {
            var partitions = topic.Partitions == -1 ? broker.DefaultPartitions : topic.Partitions;
            ErrorCode error;
            string? message;
            TopicState? created = null;
            if (injected)
            {
                (error, message) = (injectedError, null);
            }
            else if (topic.Replication is not (-1 or 1) && !topic.HasAssignments)
            {
                (error, message) = (ErrorCode.InvalidReplicationFactor, $"Replication factor: {topic.Replication} larger than available brokers: 1.");
            }
            else
            {
                (error, message, created) = broker.Topics.Create(topic.Name, partitions, topic.Configs, validateOnly);
                if (created is not null)
                {
                    BrokerLog.TopicCreated(logger, topic.Name, partitions);
                }
            }

            writer.WriteString(topic.Name, f);
            if (v >= 7)
            {
                writer.WriteUuid(created?.Id ?? Guid.Empty);
            }

            writer.WriteInt16((short)error);
            writer.WriteNullableString(message, f);
            if (v >= 5)
            {
                var ok = error == ErrorCode.None;
                writer.WriteInt32(ok ? partitions : -1);
                writer.WriteInt16(ok ? (short)1 : (short)-1);
                if (ok)
                {
                    var config = new TopicConfig(topic.Configs);
                    writer.WriteArrayCount(TopicConfig.Defaults.Count, f);
                    foreach (var key in TopicConfig.Defaults.Keys)
                    {
                        writer.WriteString(key, f);
                        writer.WriteNullableString(config.Get(key), f);
                        writer.WriteBool(false);
                        writer.WriteInt8(config.IsDefault(key) ? (sbyte)5 : (sbyte)1);
                        writer.WriteBool(false);
                        writer.WriteEmptyTaggedFields(f);
                    }
                }
                else
                {
                    writer.WriteArrayCount(-1, f);
                }
            }

            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}

using System.Globalization;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Handlers;

/// <summary>DescribeConfigs (32) v1-4 for topics (resource type 2) and this broker (resource type 4).</summary>
internal sealed class DescribeConfigsHandler : IApiHandler
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;
    private const sbyte DynamicTopicSource = 1;
    private const sbyte StaticBrokerSource = 4;
    private const sbyte DefaultSource = 5;

    public ApiKey ApiKey => ApiKey.DescribeConfigs;

    public short MinVersion => 1;

    public short MaxVersion => 4;

    public short FlexibleFromVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var resources = new List<(sbyte Type, string Name, HashSet<string>? Keys)>();
        var count = reader.ReadArrayCount(f);
        for (var i = 0; i < count; i++)
        {
            var type = reader.ReadInt8();
            var name = reader.ReadString(f);
            var keyCount = reader.ReadArrayCount(f);
            HashSet<string>? keys = keyCount < 0 ? null : new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < keyCount; k++)
            {
                keys!.Add(reader.ReadString(f));
            }

            reader.SkipTaggedFields(f);
            resources.Add((type, name, keys));
        }

        var includeSynonyms = reader.ReadBool();
        var includeDocs = v >= 3 && reader.ReadBool();
        reader.SkipTaggedFields(f);
        _ = includeDocs;

        writer.WriteInt32(0);
        writer.WriteArrayCount(resources.Count, f);
        foreach (var (type, name, keys) in resources)
        {
            var (error, message, entries) = Describe(context.Broker, type, name);
            writer.WriteInt16((short)error);
            writer.WriteNullableString(message, f);
            writer.WriteInt8(type);
            writer.WriteString(name, f);
            var selected = entries.Where(e => keys is null || keys.Contains(e.Name)).ToList();
            writer.WriteArrayCount(selected.Count, f);
            foreach (var entry in selected)
            {
                writer.WriteString(entry.Name, f);
                writer.WriteNullableString(entry.Value, f);
                writer.WriteBool(type == BrokerResource);
                writer.WriteInt8(entry.Source);
                writer.WriteBool(false);
                if (includeSynonyms)
                {
                    writer.WriteArrayCount(1, f);
                    writer.WriteString(entry.Name, f);
                    writer.WriteNullableString(entry.Value, f);
                    writer.WriteInt8(entry.Source);
                    writer.WriteEmptyTaggedFields(f);
                }
                else
                {
                    writer.WriteArrayCount(0, f);
                }

                if (v >= 3)
                {
                    writer.WriteInt8(entry.ConfigType);
                    writer.WriteNullableString(null, f);
                }

                writer.WriteEmptyTaggedFields(f);
            }

            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }

    private static (ErrorCode, string?, List<(string Name, string? Value, sbyte Source, sbyte ConfigType)>) Describe(BrokerContext broker, sbyte type, string name)
    {
        if (type == TopicResource)
        {
            var topic = broker.Topics.Get(name);
            if (topic is null)
            {
                return (ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.", []);
            }

            var config = topic.Config;
            return (ErrorCode.None, null, TopicConfig.Defaults.Keys
                .Select(k => (k, (string?)config.Get(k), config.IsDefault(k) ? DefaultSource : DynamicTopicSource, ConfigType(k)))
                .ToList());
        }

        if (type == BrokerResource)
        {
            if (name.Length > 0 && name != broker.NodeId.ToString(CultureInfo.InvariantCulture))
            {
                return (ErrorCode.InvalidRequest, $"Unexpected broker id {name}.", []);
            }

            var o = broker.Options;
            var values = new (string, string, sbyte)[]
            {
                ("auto.create.topics.enable", o.AutoCreateTopics ? "true" : "false", 1),
                ("num.partitions", o.DefaultPartitions.ToString(CultureInfo.InvariantCulture), 3),
                ("default.replication.factor", "1", 4),
                ("offsets.topic.replication.factor", "1", 4),
                ("transaction.state.log.replication.factor", "1", 4),
                ("min.insync.replicas", "1", 3),
                ("message.max.bytes", o.MaxMessageBytes.ToString(CultureInfo.InvariantCulture), 3),
                ("socket.request.max.bytes", o.MaxRequestBytes.ToString(CultureInfo.InvariantCulture), 3),
                ("group.initial.rebalance.delay.ms", o.GroupInitialRebalanceDelayMs.ToString(CultureInfo.InvariantCulture), 3),
                ("transaction.max.timeout.ms", o.TransactionMaxTimeoutMs.ToString(CultureInfo.InvariantCulture), 3),
                ("log.retention.ms", "-1", 5),
                ("log.retention.bytes", "-1", 5),
                ("log.cleanup.policy", "delete", 7),
                ("delete.topic.enable", "true", 1),
            };
            return (ErrorCode.None, null, values.Select(x => (x.Item1, (string?)x.Item2, StaticBrokerSource, x.Item3)).ToList());
        }

        return (ErrorCode.InvalidRequest, $"Unsupported resource type {type}.", []);
    }

    private static sbyte ConfigType(string key) => key switch
    {
        TopicConfig.CleanupPolicy => 7,
        TopicConfig.MessageTimestampType or TopicConfig.CompressionType => 2,
        TopicConfig.MaxMessageBytes or TopicConfig.SegmentBytes or TopicConfig.MinInsyncReplicas => 3,
        _ => 5,
    };
}

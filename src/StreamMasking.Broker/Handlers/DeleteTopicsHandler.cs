using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Diagnostics;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Handlers;

/// <summary>DeleteTopics (20) v1-5 (by name; v6 deletes by topic id and is not offered).</summary>
internal sealed class DeleteTopicsHandler(ILogger logger) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.DeleteTopics;

    public short MinVersion => 1;

    public short MaxVersion => 5;

    public short FlexibleFromVersion => 4;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var f = context.IsFlexible;
        var count = reader.ReadArrayCount(f);
        var names = new List<string>(Math.Max(0, count));
        for (var i = 0; i < count; i++)
        {
            names.Add(reader.ReadString(f));
        }

        _ = reader.ReadInt32();
        reader.SkipTaggedFields(f);
        var injected = context.Broker.Faults.TryTakeError(ApiKey, out var injectedError);
        writer.WriteInt32(0);
        writer.WriteArrayCount(names.Count, f);
        foreach (var name in names)
        {
            var error = injected ? injectedError
                : name.StartsWith("__", StringComparison.Ordinal) ? ErrorCode.InvalidTopicException
                : context.Broker.Topics.Delete(name) ? ErrorCode.None
                : ErrorCode.UnknownTopicOrPartition;
            if (error == ErrorCode.None)
            {
                BrokerLog.TopicDeleted(logger, name);
            }

            writer.WriteString(name, f);
            writer.WriteInt16((short)error);
            if (context.ApiVersion >= 5)
            {
                writer.WriteNullableString(null, f);
            }

            writer.WriteEmptyTaggedFields(f);
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }
}

using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Handlers;

/// <summary>ApiVersions (18) v0-4: advertises exactly the handlers in the registry.</summary>
internal sealed class ApiVersionsHandler(ApiRegistry registry) : IApiHandler
{
    public ApiKey ApiKey => ApiKey.ApiVersions;

    public short MinVersion => 0;

    public short MaxVersion => 4;

    public short FlexibleFromVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var flexible = context.IsFlexible;
        if (flexible)
        {
            _ = reader.ReadString(flexible);
            _ = reader.ReadString(flexible);
            reader.SkipTaggedFields(flexible);
        }

        if (context.Broker.Faults.TryTakeError(ApiKey, out var injected))
        {
            writer.WriteInt16((short)injected);
            writer.WriteArrayCount(0, flexible);
        }
        else
        {
            writer.WriteInt16((short)ErrorCode.None);
            WriteApiKeys(writer, registry, flexible);
        }

        if (context.ApiVersion >= 1)
        {
            writer.WriteInt32(0);
        }

        writer.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }

    /// <summary>The answer to an ApiVersions request newer than we know: v0 body, UNSUPPORTED_VERSION, full list.</summary>
    public static ReadOnlyMemory<byte> WriteUnsupportedVersionResponse(int correlationId, ApiRegistry registry)
    {
        var writer = new KafkaWriter();
        var sizeAt = writer.ReserveInt32();
        writer.WriteInt32(correlationId);
        writer.WriteInt16((short)ErrorCode.UnsupportedVersion);
        WriteApiKeys(writer, registry, flexible: false);
        writer.PatchInt32(sizeAt, writer.Length - 4);
        return writer.WrittenMemory;
    }

    private static void WriteApiKeys(KafkaWriter writer, ApiRegistry registry, bool flexible)
    {
        var handlers = registry.Handlers.ToList();
        writer.WriteArrayCount(handlers.Count, flexible);
        foreach (var handler in handlers)
        {
            writer.WriteInt16((short)handler.ApiKey);
            writer.WriteInt16(handler.MinVersion);
            writer.WriteInt16(handler.MaxVersion);
            writer.WriteEmptyTaggedFields(flexible);
        }
    }
}

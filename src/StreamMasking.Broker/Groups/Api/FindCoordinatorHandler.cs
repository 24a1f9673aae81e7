using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Groups.Api;

/// <summary>
/// FindCoordinator (10) v0-4: this single broker coordinates every group (key type 0) and transactional id (key
/// type 1). v4 batches keys.
/// </summary>
internal sealed class FindCoordinatorHandler : IApiHandler
{
    public ApiKey ApiKey => ApiKey.FindCoordinator;

    public short MinVersion => 0;

    public short MaxVersion => 4;

    public short FlexibleFromVersion => 3;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var v = context.ApiVersion;
        var f = context.IsFlexible;
        var key = v <= 3 ? reader.ReadString(f) : null;
        var keyType = v >= 1 ? reader.ReadInt8() : (sbyte)0;
        var keys = new List<string>();
        if (v >= 4)
        {
            var count = reader.ReadArrayCount(f);
            for (var i = 0; i < count; i++)
            {
                keys.Add(reader.ReadString(f));
            }
        }
        else
        {
            keys.Add(key!);
        }

        reader.SkipTaggedFields(f);
        var error = keyType is 0 or 1 ? ErrorCode.None : ErrorCode.InvalidRequest;
        if (context.Broker.Faults.TryTakeError(ApiKey, out var injected))
        {
            error = injected;
        }

        var broker = context.Broker;
        var ok = error == ErrorCode.None;
        if (v >= 1)
        {
            writer.WriteInt32(0);
        }

        if (v <= 3)
        {
            writer.WriteInt16((short)error);
            if (v >= 1)
            {
                writer.WriteNullableString(ok ? null : error.ToString(), f);
            }

            WriteNode(writer, broker, ok, f);
        }
        else
        {
            writer.WriteArrayCount(keys.Count, f);
            foreach (var k in keys)
            {
                writer.WriteString(k, f);
                WriteNode(writer, broker, ok, f);
                writer.WriteInt16((short)error);
                writer.WriteNullableString(ok ? null : error.ToString(), f);
                writer.WriteEmptyTaggedFields(f);
            }
        }

        writer.WriteEmptyTaggedFields(f);
        return ValueTask.FromResult(true);
    }

    private static void WriteNode(KafkaWriter writer, BrokerContext broker, bool ok, bool flexible)
    {
        writer.WriteInt32(ok ? broker.NodeId : -1);
        writer.WriteString(ok ? broker.AdvertisedHost : string.Empty, flexible);
        writer.WriteInt32(ok ? broker.AdvertisedPort : -1);
    }
}

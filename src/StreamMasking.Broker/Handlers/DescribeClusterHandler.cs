using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Handlers;

/// <summary>DescribeCluster (60) v0-1 (AdminClient.DescribeCluster): this broker is the whole cluster and its controller.</summary>
internal sealed class DescribeClusterHandler : IApiHandler
{
    private const sbyte BrokerEndpoint = 1;

    public ApiKey ApiKey => ApiKey.DescribeCluster;

    public short MinVersion => 0;

    public short MaxVersion => 1;

    public short FlexibleFromVersion => 0;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken)
    {
        var broker = context.Broker;
        _ = reader.ReadBool();
        var endpointType = context.ApiVersion >= 1 ? reader.ReadInt8() : BrokerEndpoint;
        reader.SkipTaggedFields(true);
        var error = endpointType == BrokerEndpoint ? ErrorCode.None : (ErrorCode)114; // UNSUPPORTED_ENDPOINT_TYPE
        if (broker.Faults.TryTakeError(ApiKey, out var injected))
        {
            error = injected;
        }

        writer.WriteInt32(0);
        writer.WriteInt16((short)error);
        writer.WriteNullableString(null, true);
        if (context.ApiVersion >= 1)
        {
            writer.WriteInt8(endpointType);
        }

        writer.WriteString(broker.ClusterId, true);
        writer.WriteInt32(broker.NodeId);
        writer.WriteArrayCount(1, true);
        writer.WriteInt32(broker.NodeId);
        writer.WriteString(broker.AdvertisedHost, true);
        writer.WriteInt32(broker.AdvertisedPort);
        writer.WriteNullableString(null, true);
        writer.WriteEmptyTaggedFields(true);
        writer.WriteInt32(int.MinValue);
        writer.WriteEmptyTaggedFields(true);
        return ValueTask.FromResult(true);
    }
}

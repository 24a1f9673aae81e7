using System.Buffers.Binary;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Diagnostics;
using StreamMasking.Broker.Faults;
using StreamMasking.Broker.Handlers;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Server;

/// <summary>
/// One client connection: reads size-prefixed requests, dispatches them one at a time in arrival order (Kafka
/// mutes a connection until its response is written, which keeps responses in order) and writes responses.
/// </summary>
internal sealed class KafkaConnection : IFaultTarget
{
    private readonly long _id;
    private readonly Socket _socket;
    private readonly BrokerContext _broker;
    private readonly ApiRegistry _registry;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cts;

    public KafkaConnection(long id, Socket socket, BrokerContext broker, ApiRegistry registry, ILogger logger, CancellationToken serverToken)
    {
        _id = id;
        _socket = socket;
        _broker = broker;
        _registry = registry;
        _logger = logger;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverToken);
    }

    public string? ClientId { get; private set; }

    public void Abort()
    {
        try
        {
            _cts.Cancel();
            _socket.Close();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    public async Task RunAsync()
    {
        var ct = _cts.Token;
        _broker.Faults.Register(_id, this);
        BrokerLog.ConnectionOpened(_logger, _id, _socket.RemoteEndPoint);
        try
        {
            await using var stream = new NetworkStream(_socket, ownsSocket: true);
            var sizeBuffer = new byte[4];
            while (!ct.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(sizeBuffer, ct);
                var size = BinaryPrimitives.ReadInt32BigEndian(sizeBuffer);
                if (size < 8 || size > _broker.Options.MaxRequestBytes)
                {
                    BrokerLog.RequestTooLarge(_logger, _id, size, _broker.Options.MaxRequestBytes);
                    return;
                }

                var frame = new byte[size];
                await stream.ReadExactlyAsync(frame, ct);
                var (close, response) = await ProcessAsync(frame, ct);
                if (response is { } bytes)
                {
                    await stream.WriteAsync(bytes, ct);
                }

                if (close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Client went away, was dropped, or the broker stops.
        }
        finally
        {
            _broker.Faults.Unregister(_id);
            _cts.Dispose();
            BrokerLog.ConnectionClosed(_logger, _id);
        }
    }

    private async Task<(bool Close, ReadOnlyMemory<byte>? Response)> ProcessAsync(byte[] frame, CancellationToken ct)
    {
        var reader = new KafkaReader(frame);
        var (key, version, correlationId) = RequestHeader.ReadPrefix(reader);
        if (!_registry.TryGet(key, out var handler))
        {
            BrokerLog.UnknownApi(_logger, _id, (short)key);
            return (true, null);
        }

        if (version < handler.MinVersion || version > handler.MaxVersion)
        {
            if (key == ApiKey.ApiVersions)
            {
                // KIP-511: a too-new ApiVersions request gets UNSUPPORTED_VERSION with the supported ranges in
                // the v0 layout, so the client can retry with a version both sides know.
                return (false, ApiVersionsHandler.WriteUnsupportedVersionResponse(correlationId, _registry));
            }

            BrokerLog.UnsupportedVersion(_logger, _id, (short)key, version);
            return (true, null);
        }

        var flexible = version >= handler.FlexibleFromVersion;
        RequestContext context;
        try
        {
            var clientId = RequestHeader.ReadClientId(reader, headerV2: flexible);
            ClientId = clientId;
            context = new RequestContext
            {
                Broker = _broker,
                Header = new RequestHeader(key, version, correlationId, clientId),
                IsFlexible = flexible,
                ConnectionId = _id,
                RemoteEndPoint = _socket.RemoteEndPoint,
            };
        }
        catch (ProtocolException e)
        {
            BrokerLog.MalformedRequest(_logger, _id, (short)key, e);
            return (true, null);
        }

        var delay = _broker.Faults.DelayFor(key);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _broker.Time, ct);
        }

        var writer = new KafkaWriter(1024);
        var sizeAt = writer.ReserveInt32();
        writer.WriteInt32(correlationId);

        // Response header v1 (tagged fields) for flexible versions, except ApiVersions which always uses v0.
        writer.WriteEmptyTaggedFields(flexible && key != ApiKey.ApiVersions);
        bool respond;
        try
        {
            respond = await handler.HandleAsync(context, reader, writer, ct);
        }
        catch (ProtocolException e)
        {
            BrokerLog.MalformedRequest(_logger, _id, (short)key, e);
            return (true, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            BrokerLog.HandlerFailed(_logger, _id, (short)key, e);
            return (true, null);
        }

        if (_broker.Faults.TryTakeDropAfterHandling(key))
        {
            return (true, null);
        }

        if (!respond)
        {
            return (false, null);
        }

        writer.PatchInt32(sizeAt, writer.Length - 4);
        return (false, writer.WrittenMemory);
    }
}

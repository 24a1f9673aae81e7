using System.Net;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Server;

/// <summary>Everything a handler knows about the request it serves.</summary>
internal sealed class RequestContext
{
    public required BrokerContext Broker { get; init; }

    public required RequestHeader Header { get; init; }

    /// <summary>True when the request (and its response) use flexible encodings.</summary>
    public required bool IsFlexible { get; init; }

    public required long ConnectionId { get; init; }

    public EndPoint? RemoteEndPoint { get; init; }

    public short ApiVersion => Header.ApiVersion;

    public string? ClientId => Header.ClientId;
}

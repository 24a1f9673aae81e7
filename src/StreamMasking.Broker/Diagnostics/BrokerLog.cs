using System.Net;
using Microsoft.Extensions.Logging;

namespace StreamMasking.Broker.Diagnostics;

/// <summary>Source-generated log messages of the wire layer. Never logs record keys, values or headers.</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(LogEventIds.Listening, LogLevel.Information, "Kafka broker listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(LogEventIds.ConnectionOpened, LogLevel.Debug, "Connection {ConnectionId} opened from {Remote}")]
    public static partial void ConnectionOpened(ILogger logger, long connectionId, EndPoint? remote);

    [LoggerMessage(LogEventIds.ConnectionClosed, LogLevel.Debug, "Connection {ConnectionId} closed")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId);

    [LoggerMessage(LogEventIds.UnknownApi, LogLevel.Warning, "Connection {ConnectionId} closed: unknown API key {ApiKey}")]
    public static partial void UnknownApi(ILogger logger, long connectionId, short apiKey);

    [LoggerMessage(LogEventIds.UnsupportedVersion, LogLevel.Warning, "Connection {ConnectionId} closed: unsupported version {Version} of API {ApiKey}")]
    public static partial void UnsupportedVersion(ILogger logger, long connectionId, short apiKey, short version);

    [LoggerMessage(LogEventIds.RequestTooLarge, LogLevel.Warning, "Connection {ConnectionId} closed: request of {Size} bytes exceeds the limit of {Limit}")]
    public static partial void RequestTooLarge(ILogger logger, long connectionId, int size, int limit);

    [LoggerMessage(LogEventIds.MalformedRequest, LogLevel.Warning, "Connection {ConnectionId} closed: malformed {ApiKey} request")]
    public static partial void MalformedRequest(ILogger logger, long connectionId, short apiKey, Exception exception);

    [LoggerMessage(LogEventIds.HandlerFailed, LogLevel.Error, "Connection {ConnectionId} closed: handler for API {ApiKey} failed")]
    public static partial void HandlerFailed(ILogger logger, long connectionId, short apiKey, Exception exception);

    [LoggerMessage(LogEventIds.Recovered, LogLevel.Information, "Recovered {Topics} topics from {Directory}; {Truncated} bytes of torn tails truncated")]
    public static partial void Recovered(ILogger logger, int topics, string directory, long truncated);

    [LoggerMessage(LogEventIds.TopicCreated, LogLevel.Information, "Topic {Topic} created with {Partitions} partitions")]
    public static partial void TopicCreated(ILogger logger, string topic, int partitions);

    [LoggerMessage(LogEventIds.TopicDeleted, LogLevel.Information, "Topic {Topic} deleted")]
    public static partial void TopicDeleted(ILogger logger, string topic);

    [LoggerMessage(LogEventIds.Stopped, LogLevel.Information, "Kafka broker stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(LogEventIds.CleanerFailed, LogLevel.Warning, "Log cleaner failed for {Topic}-{Partition}")]
    public static partial void CleanerFailed(ILogger logger, string topic, int partition, Exception exception);

    [LoggerMessage(LogEventIds.Cleaned, LogLevel.Debug, "Cleaned {Topic}-{Partition}: {Segments} segments deleted by retention, {Batches} batches removed by compaction; log start offset {LogStartOffset}")]
    public static partial void Cleaned(ILogger logger, string topic, int partition, int segments, int batches, long logStartOffset);
}

using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Server;

/// <summary>
/// Serves one Kafka API. The server parses the request header, checks the version range, writes the response header
/// and then calls <see cref="HandleAsync"/> with a reader positioned at the request body and a writer for the
/// response body. Handlers write the body's own trailing tagged fields when <see cref="RequestContext.IsFlexible"/>.
/// </summary>
internal interface IApiHandler
{
    ApiKey ApiKey { get; }

    short MinVersion { get; }

    short MaxVersion { get; }

    /// <summary>First flexible version (compact encodings, header v2 / response header v1); <see cref="short.MaxValue"/> if none.</summary>
    short FlexibleFromVersion { get; }

    /// <summary>
    /// Handles one request. Returns <see langword="false"/> when no response must be sent (Produce with acks=0).
    /// May complete asynchronously (long-poll Fetch, JoinGroup); requests of one connection are processed one at a
    /// time, in order, like Kafka does (it mutes a connection until its response is sent).
    /// </summary>
    ValueTask<bool> HandleAsync(RequestContext context, KafkaReader reader, KafkaWriter writer, CancellationToken cancellationToken);
}

using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Server;

namespace StreamMasking.Broker.Tests.Groups;

/// <summary>Runs one handler on a hand-encoded request body and returns a reader over the response body.</summary>
internal static class WireExchange
{
    public static async Task<KafkaReader> SendAsync(BrokerContext broker, IApiHandler handler, short version, Action<KafkaWriter, bool> writeBody)
    {
        var flexible = version >= handler.FlexibleFromVersion;
        var request = new KafkaWriter();
        writeBody(request, flexible);
        var context = new RequestContext
        {
            Broker = broker,
            Header = new RequestHeader(handler.ApiKey, version, 1, "wire-test"),
            IsFlexible = flexible,
            ConnectionId = 1,
        };
        var requestReader = new KafkaReader(request.ToArray());
        var response = new KafkaWriter();
        (await handler.HandleAsync(context, requestReader, response, CancellationToken.None)).ShouldBeTrue();
        requestReader.Remaining.ShouldBe(0, "the handler must consume the whole request body");
        return new KafkaReader(response.ToArray());
    }
}

namespace StreamMasking.Host.Diagnostics;

/// <summary>
/// The event ids of every <see cref="Microsoft.Extensions.Logging.LoggerMessageAttribute"/> of the host, one range
/// per area. The host owns 2000–2999 (the runtime owns 1–999 and the local broker 3000–3999), so the ids of one
/// process never collide. A removed line retires its id.
/// </summary>
internal static class LogEventIds
{
    /// <summary>The declared ranges; every id below lies in exactly one (a unit test holds the registry to them).</summary>
    internal static readonly IReadOnlyList<(int First, int Last, string Area)> Ranges =
    [
        (2000, 2099, "Service (run): start, HTTP endpoints, input topics, stop"),
        (2100, 2199, "Embedded local broker (demo, broker)"),
    ];

    // 2000–2099: the service.
    internal const int PipelineFailed = 2000;
    internal const int StartFailed = 2001;
    internal const int EndpointsListening = 2002;
    internal const int WaitingForTopics = 2003;

    // 2100–2199: the embedded local broker.
    internal const int EmbeddedBrokerStarted = 2100;
}

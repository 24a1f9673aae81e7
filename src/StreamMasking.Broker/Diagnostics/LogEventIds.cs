namespace StreamMasking.Broker.Diagnostics;

/// <summary>
/// The event ids of every <see cref="Microsoft.Extensions.Logging.LoggerMessageAttribute"/> of the local broker,
/// one range per area. The broker owns 3000–3999 (the runtime owns 1–999 and the host 2000–2999), so a process that
/// embeds the broker next to the pipeline never logs one id for two events. A removed line retires its id.
/// </summary>
internal static class LogEventIds
{
    /// <summary>The declared ranges; every id below lies in exactly one (a unit test holds the registry to them).</summary>
    internal static readonly IReadOnlyList<(int First, int Last, string Area)> Ranges =
    [
        (3000, 3099, "Group coordinator"),
        (3100, 3199, "Transaction coordinator"),
        (3200, 3299, "Server and connections (wire layer)"),
        (3300, 3399, "Topics and log storage: recovery, creation, deletion, cleaning"),
    ];

    // 3000–3099: group coordinator.
    internal const int PreparingRebalance = 3001;
    internal const int GenerationFormed = 3002;
    internal const int MemberExpired = 3003;
    internal const int MemberLeft = 3004;
    internal const int GroupSweepFailed = 3005;
    internal const int OffsetUnstable = 3006;
    internal const int StaticMemberReplaced = 3007;

    // 3100–3199: transaction coordinator.
    internal const int TransactionTimedOut = 3101;
    internal const int TransactionCompleted = 3102;
    internal const int MarkerFailed = 3103;
    internal const int TransactionSweepFailed = 3104;
    internal const int ProducerInitialised = 3105;

    // 3200–3299: server and connections.
    internal const int Listening = 3200;
    internal const int Stopped = 3201;
    internal const int ConnectionOpened = 3202;
    internal const int ConnectionClosed = 3203;
    internal const int UnknownApi = 3204;
    internal const int UnsupportedVersion = 3205;
    internal const int RequestTooLarge = 3206;
    internal const int MalformedRequest = 3207;
    internal const int HandlerFailed = 3208;

    // 3300–3399: topics and log storage.
    internal const int Recovered = 3300;
    internal const int TopicCreated = 3301;
    internal const int TopicDeleted = 3302;
    internal const int CleanerFailed = 3303;
    internal const int Cleaned = 3304;
}

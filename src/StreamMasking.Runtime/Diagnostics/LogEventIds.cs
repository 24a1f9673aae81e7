namespace StreamMasking.Runtime.Diagnostics;

/// <summary>
/// The event ids of every <see cref="Microsoft.Extensions.Logging.LoggerMessageAttribute"/> of the runtime, one
/// range per area. The runtime owns 1–999; the host owns 2000–2999 and the local broker 3000–3999, so the ids of
/// one process never collide. An id, once shipped, keeps its meaning: a removed line retires its id.
/// </summary>
internal static class LogEventIds
{
    /// <summary>The declared ranges; every id below lies in exactly one (a unit test holds the registry to them).</summary>
    internal static readonly IReadOnlyList<(int First, int Last, string Area)> Ranges =
    [
        (1, 99, "Pipeline and stage loop: lifecycle, rebalances, transactions, Kafka client errors, topics, dead letters"),
        (200, 299, "Windows, releases and budget ledgers"),
        (400, 499, "State stores: restore, checkpoints, changelog stability"),
        (500, 599, "DP state ownership"),
        (600, 699, "Repartition purge"),
        (900, 999, "Serialization: input decoding, schema registry, Avro service topics"),
    ];

    // 1–99: pipeline and stage loop.
    internal const int StageStarting = 1;
    internal const int StageStopped = 2;
    internal const int PartitionsAssigned = 3;
    internal const int PartitionsRevoked = 4;
    internal const int PartitionsLost = 5;
    internal const int TransactionCommitted = 6;
    internal const int TransactionAborted = 7;
    internal const int ProcessorFailed = 8;
    internal const int KafkaRetriable = 9;
    internal const int Fenced = 10;
    internal const int KafkaFatal = 11;
    internal const int QueueFull = 12;
    internal const int RecordDeadLettered = 13;
    internal const int ConsumeError = 14;
    internal const int ClientLog = 15;
    internal const int ClientError = 16;
    internal const int TopicCreated = 17;
    internal const int TopicExists = 18;
    internal const int ShuttingDown = 19;
    internal const int MaskerThrew = 20;
    internal const int PipelineStarted = 21;
    internal const int PunctuationFailed = 23;
    internal const int SendOffsetsHung = 74;

    // 200–299: windows, releases and budget ledgers.
    internal const int WindowReleased = 200;
    internal const int WindowStateAbandoned = 201;
    internal const int SealedWindowAbandoned = 202;
    internal const int ReleaseSuppressed = 203;
    internal const int LifetimeBudgetExhausted = 204;
    internal const int ContinualStateLost = 205;
    internal const int ContinualCountersRestarted = 206;
    internal const int LedgerTransition = 207;
    internal const int UnitLifetimeLedgerLost = 208;

    // 400–499: state stores.
    internal const int StoreWiped = 400;
    internal const int StoreRestored = 401;
    internal const int StoreClosedUnresolved = 402;
    internal const int StoreCheckpointed = 403;
    internal const int ChangelogUnstableWaiting = 404;
    internal const int ChangelogStable = 405;
    internal const int ChangelogUnstableRefused = 406;

    // 500–599: DP state ownership.
    internal const int OwnershipViolated = 500;

    // 600–699: repartition purge.
    internal const int RepartitionPurged = 600;
    internal const int RepartitionPurgeFailed = 601;

    // 900–999: serialization. 901–909 input decoding and the schema registry, 910–919 the Avro service topics.
    internal const int RegistryCallFailed = 901;
    internal const int RegistryUnavailable = 902;
    internal const int LocalSchemasLoaded = 903;
    internal const int MaskedSchemaRegistered = 904;
    internal const int MaskedSchemaRejected = 905;
    internal const int SchemaTagsApplied = 906;
    internal const int SchemaTagsRefused = 907;
    internal const int SchemaFieldsUnnamed = 908;
    internal const int OutputSchemaRegistered = 910;
    internal const int OutputSchemaRejected = 911;
    internal const int OutputRecordNotConforming = 912;
}

namespace StreamMasking.Broker.Groups.Persistence;

/// <summary>
/// One durable change to a group. Kind: "offset" (committed), "txn-offset" (staged by a transaction),
/// "txn-end" (a producer's staged offsets committed or discarded), "generation" (a generation formed), "delete-group".
/// </summary>
internal sealed record GroupJournalRecord(
    string Kind,
    string Group,
    string? Topic = null,
    int Partition = 0,
    long Offset = 0,
    int LeaderEpoch = -1,
    string? Metadata = null,
    long TimestampMs = 0,
    long ProducerId = -1,
    bool Commit = false,
    int Generation = 0);

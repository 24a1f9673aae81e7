namespace StreamMasking.Broker.Groups.Persistence;

/// <summary>
/// One durable change to group offsets. Kind: "offset" (committed), "txn-offset" (staged by a transaction),
/// "txn-end" (a producer's staged offsets committed or discarded), "delete-group".
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
    bool Commit = false);

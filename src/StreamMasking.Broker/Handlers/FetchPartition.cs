namespace StreamMasking.Broker.Handlers;

/// <summary>One partition of a fetch request.</summary>
internal sealed record FetchPartition(int Partition, long FetchOffset, int MaxBytes);

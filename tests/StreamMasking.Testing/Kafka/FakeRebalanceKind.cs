namespace StreamMasking.Testing.Kafka;

/// <summary>What a test asked of the consumer group, applied by the consumer inside its next Consume call.</summary>
public enum FakeRebalanceKind
{
    /// <summary>Partitions assigned (the assigned handler runs; positions start at the committed offsets, else 0).</summary>
    Assigned,

    /// <summary>Partitions revoked (the revoked handler runs while they are still assigned).</summary>
    Revoked,

    /// <summary>Partitions lost (the lost handler runs; they may already belong to another member).</summary>
    Lost,
}

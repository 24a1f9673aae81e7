using Confluent.Kafka;

namespace StreamMasking.Testing;

/// <summary>What <see cref="TopicReader.Read"/> read, and how many of the partitions it reached the end of.</summary>
public sealed record TopicRead(List<ConsumeResult<byte[]?, byte[]?>> Records, int PartitionsAtEnd, int Partitions)
{
    /// <summary>Every partition reported end-of-partition with no record after it.</summary>
    public bool ReachedEnd => PartitionsAtEnd == Partitions;
}

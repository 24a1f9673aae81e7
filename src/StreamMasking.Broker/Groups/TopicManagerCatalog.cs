using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker.Groups;

/// <summary><see cref="IPartitionCatalog"/> over the broker's topics.</summary>
internal sealed class TopicManagerCatalog(TopicManager topics) : IPartitionCatalog
{
    public bool PartitionExists(string topic, int partition) => topics.PartitionExists(topic, partition);
}

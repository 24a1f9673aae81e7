namespace StreamMasking.Broker.Groups;

/// <summary>What the coordinators need to know about the broker's topics.</summary>
internal interface IPartitionCatalog
{
    bool PartitionExists(string topic, int partition);
}

using StreamMasking.Broker.Storage;

namespace StreamMasking.Broker.Topics;

/// <summary>A topic: id, configuration and partition logs.</summary>
internal sealed class TopicState
{
    public TopicState(string name, Guid id, TopicConfig config, bool isInternal)
    {
        Name = name;
        Id = id;
        Config = config;
        IsInternal = isInternal;
    }

    public string Name { get; }

    public Guid Id { get; }

    /// <summary>Replaced as a whole when altered; readers take a snapshot.</summary>
    public TopicConfig Config { get; set; }

    public bool IsInternal { get; }

    public List<PartitionLog> Partitions { get; } = [];
}

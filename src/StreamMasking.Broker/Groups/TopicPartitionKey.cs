namespace StreamMasking.Broker.Groups;

/// <summary>A topic partition as a dictionary key.</summary>
internal readonly record struct TopicPartitionKey(string Topic, int Partition);

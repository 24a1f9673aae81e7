namespace StreamMasking.Broker.Groups;

/// <summary>States of a classic consumer group, named as Kafka names them in DescribeGroups/ListGroups.</summary>
internal enum GroupState
{
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

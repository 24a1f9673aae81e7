namespace StreamMasking.Host.Commands;

/// <summary>One ALLOW ACL: a principal may perform the operations on one resource.</summary>
/// <param name="Principal">Kafka principal, e.g. <c>User:streammasking</c>.</param>
/// <param name="ResourceType">Kafka resource type: <c>topic</c>, <c>group</c>, <c>transactional-id</c> or <c>cluster</c>.</param>
/// <param name="Name">Resource name (<c>kafka-cluster</c> for the cluster).</param>
/// <param name="Prefixed">Whether the name is a prefix (pattern type PREFIXED) rather than a literal name.</param>
/// <param name="Operations">Kafka operations: Read, Write, Create, Describe, IdempotentWrite.</param>
internal sealed record AclEntry(string Principal, string ResourceType, string Name, bool Prefixed, IReadOnlyList<string> Operations)
{
    internal const string Topic = "topic";
    internal const string Group = "group";
    internal const string TransactionalId = "transactional-id";
    internal const string Cluster = "cluster";

    /// <summary>Whether this entry lets its principal read the topic.</summary>
    internal bool ReadsTopic(string topic) =>
        ResourceType == Topic && Operations.Contains("Read")
        && (Prefixed ? topic.StartsWith(Name, StringComparison.Ordinal) : topic == Name);
}

namespace StreamMasking.Host.Commands;

/// <summary>The ACLs that let each principal do its job and nothing more, for one policy and service configuration.</summary>
/// <param name="PolicyVersion">The policy's version string.</param>
/// <param name="ServicePrincipal">The principal every StreamMasking instance authenticates as.</param>
/// <param name="Entries">Every ALLOW ACL, service first, then the readers in the principal map's order.</param>
/// <param name="ServiceOnlyTopics">Raw input, repartition and changelog topics: no principal but the service may read them.</param>
internal sealed record AclPlan(
    string PolicyVersion, string ServicePrincipal, IReadOnlyList<AclEntry> Entries, IReadOnlyList<string> ServiceOnlyTopics)
{
    /// <summary>The principals in the order they first appear.</summary>
    internal IReadOnlyList<string> Principals => Entries.Select(e => e.Principal).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The principals allowed to read the topic.</summary>
    internal IReadOnlyList<string> ReadersOf(string topic) =>
        Entries.Where(e => e.ReadsTopic(topic)).Select(e => e.Principal).Distinct(StringComparer.Ordinal).ToList();
}

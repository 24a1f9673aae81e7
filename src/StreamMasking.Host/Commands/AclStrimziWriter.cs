using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StreamMasking.Host.Commands;

/// <summary>
/// Writes an <see cref="AclPlan"/> as Strimzi <c>KafkaUser</c> resources with their <c>authorization</c> block
/// (<c>type: simple</c>). A KafkaUser named N authenticates as <c>User:N</c> (SCRAM) or <c>User:CN=N</c> (TLS), so a
/// principal whose name is not a Kubernetes resource name gets a comment instead of a resource.
/// </summary>
internal static partial class AclStrimziWriter
{
    internal static string Write(AclPlan plan, string cluster)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Strimzi KafkaUser authorization for StreamMasking policy {plan.PolicyVersion} (cluster {cluster}).");
        text.AppendLine("# Add the authentication block your listener uses (scram-sha-512 or tls).");
        foreach (var principal in plan.Principals)
        {
            text.AppendLine("---");
            var name = UserName(principal);
            if (name is null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"# {principal}: not a Strimzi user (User:<name> or User:CN=<name>); use the kafka-acls commands.");
                continue;
            }

            text.AppendLine("apiVersion: kafka.strimzi.io/v1beta2");
            text.AppendLine("kind: KafkaUser");
            text.AppendLine("metadata:");
            text.AppendLine(CultureInfo.InvariantCulture, $"  name: {name}");
            text.AppendLine("  labels:");
            text.AppendLine(CultureInfo.InvariantCulture, $"    strimzi.io/cluster: {cluster}");
            text.AppendLine("spec:");
            text.AppendLine("  authorization:");
            text.AppendLine("    type: simple");
            text.AppendLine("    acls:");
            foreach (var e in plan.Entries.Where(e => e.Principal == principal))
            {
                text.AppendLine("      - resource:");
                text.AppendLine(CultureInfo.InvariantCulture, $"          type: {ResourceType(e.ResourceType)}");
                if (e.ResourceType != AclEntry.Cluster)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"          name: \"{e.Name}\"");
                    text.AppendLine(CultureInfo.InvariantCulture, $"          patternType: {(e.Prefixed ? "prefix" : "literal")}");
                }

                text.AppendLine(CultureInfo.InvariantCulture, $"        operations: [{string.Join(", ", e.Operations)}]");
                text.AppendLine("        host: \"*\"");
            }
        }

        return text.ToString();
    }

    /// <summary>The KafkaUser name of a principal, or null when Strimzi cannot express it.</summary>
    internal static string? UserName(string principal)
    {
        if (!principal.StartsWith("User:", StringComparison.Ordinal))
        {
            return null;
        }

        var name = principal["User:".Length..];
        if (name.StartsWith("CN=", StringComparison.Ordinal))
        {
            name = name["CN=".Length..];
        }

        return ResourceName().IsMatch(name) ? name : null;
    }

    private static string ResourceType(string type) => type switch
    {
        AclEntry.TransactionalId => "transactionalId",
        _ => type,
    };

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    private static partial Regex ResourceName();
}

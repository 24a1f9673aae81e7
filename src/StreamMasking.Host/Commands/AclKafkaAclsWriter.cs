using System.Globalization;
using System.Text;

namespace StreamMasking.Host.Commands;

/// <summary>Writes an <see cref="AclPlan"/> as <c>kafka-acls.sh --add</c> commands, one per resource and principal.</summary>
internal static class AclKafkaAclsWriter
{
    internal static string Write(AclPlan plan)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Kafka ACLs for StreamMasking policy {plan.PolicyVersion}.");
        text.AppendLine("# Needs an authorizer that denies what no ACL allows (allow.everyone.if.no.acl.found=false, the default).");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"# Then only {plan.ServicePrincipal} can read the raw and internal topics: {string.Join(", ", plan.ServiceOnlyTopics)}.");
        text.AppendLine("# Set BOOTSTRAP and ADMIN_CONFIG (a client properties file of an ACL administrator) before running.");
        foreach (var principal in plan.Principals)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"# {principal}");
            foreach (var e in plan.Entries.Where(e => e.Principal == principal))
            {
                text.Append(CultureInfo.InvariantCulture, $"kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config \"$ADMIN_CONFIG\" --add --allow-principal {Quote(principal)}");
                foreach (var operation in e.Operations)
                {
                    text.Append(CultureInfo.InvariantCulture, $" --operation {operation}");
                }

                text.Append(e.ResourceType == AclEntry.Cluster ? " --cluster" : $" --{e.ResourceType} {Quote(e.Name)}");
                if (e.Prefixed)
                {
                    text.Append(" --resource-pattern-type prefixed");
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    // Principals such as User:CN=alice,O=acme and topic names are safe in single quotes (none may contain a quote).
    private static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':') ? value : $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}

using System.CommandLine;
using Microsoft.Extensions.Configuration;
using StreamMasking.Core.Policy;
using StreamMasking.Host.Service;

namespace StreamMasking.Host.Commands;

/// <summary>
/// <c>acl plan POLICY --principal-map FILE</c>: prints the Kafka ACLs (kafka-acls commands and Strimzi KafkaUser
/// authorization blocks) that let each consumer principal read only its segments' masked topics, the service read
/// its inputs and write its outputs, and nobody else read the raw input, repartition or changelog topics. Topic,
/// group and transactional-id names come from the service configuration, read as <c>run</c> reads it
/// (environment <c>STREAMMASKING__…</c> and <c>--StreamMasking:Section:Key=value</c> arguments). Exit 0 with the
/// plan, 1 with one line per problem (nothing is printed to apply on a doubt).
/// </summary>
internal static class AclCommand
{
    internal static Command Create()
    {
        var acl = new Command("acl", "Kafka access control for the service and the consumers of masked topics.");
        acl.Subcommands.Add(CreatePlan());
        return acl;
    }

    private static Command CreatePlan()
    {
        var file = new Argument<FileInfo>("policy") { Description = "The YAML policy file." };
        var principalMap = new Option<FileInfo>("--principal-map") { Description = "YAML: service principal, consumers per segment, readers of aggregates/audit/dead letters.", Required = true };
        var format = new Option<string>("--format") { Description = "kafka-acls, strimzi or all.", DefaultValueFactory = _ => "all" };
        format.AcceptOnlyFromAmong("kafka-acls", "strimzi", "all");
        var cluster = new Option<string>("--strimzi-cluster") { Description = "Strimzi Kafka cluster name (strimzi.io/cluster label).", DefaultValueFactory = _ => "my-cluster" };
        var plan = new Command("plan", "Print the ACLs the policy and service configuration need, per principal.") { TreatUnmatchedTokensAsErrors = false };
        plan.Arguments.Add(file);
        plan.Options.Add(principalMap);
        plan.Options.Add(format);
        plan.Options.Add(cluster);
        plan.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            var policyFile = parse.GetValue(file)!;
            var loaded = policyFile.Exists ? PolicyLoader.LoadFile(policyFile.FullName) : null;
            if (loaded?.Policy is not { } policy)
            {
                error.WriteLine(loaded is null ? $"{policyFile.Name}: file not found" : string.Join(Environment.NewLine, loaded.Diagnostics));
                return 1;
            }

            var (map, mapErrors) = AclPrincipalMap.Load(parse.GetValue(principalMap)!.FullName);
            var configuration = new ConfigurationBuilder()
                .AddEnvironmentVariables()
                .AddCommandLine(parse.UnmatchedTokens.ToArray())
                .Build();
            var options = ServiceConfiguration.Bind(configuration);
            var (result, planErrors) = map is null ? (null, []) : AclPlanner.Plan(policy, options, map);
            if (result is null)
            {
                foreach (var e in mapErrors.Concat(planErrors))
                {
                    error.WriteLine(e);
                }

                error.WriteLine("No ACL plan: fix the problems above.");
                return 1;
            }

            var output = parse.InvocationConfiguration.Output;
            var chosen = parse.GetValue(format);
            if (chosen is "kafka-acls" or "all")
            {
                output.Write(AclKafkaAclsWriter.Write(result));
            }

            if (chosen is "all")
            {
                output.WriteLine();
            }

            if (chosen is "strimzi" or "all")
            {
                output.Write(AclStrimziWriter.Write(result, parse.GetValue(cluster)!));
            }

            return 0;
        });
        return plan;
    }
}

using System.CommandLine;

namespace StreamMasking.Host.Commands;

/// <summary>Builds the <c>streammasking</c> command line: demo, run, broker, policy, privacy, acl, healthcheck.</summary>
internal static class CliFactory
{
    internal static RootCommand Create()
    {
        var root = new RootCommand("StreamMasking: a Kafka stream processor that masks sensitive events per micro-segment.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(BrokerCommand.Create());
        root.Subcommands.Add(PolicyCommand.Create());
        root.Subcommands.Add(AclCommand.Create());
        root.Subcommands.Add(HealthcheckCommand.Create());
        root.Subcommands.Add(PrivacyCommand.Create());
        return root;
    }
}

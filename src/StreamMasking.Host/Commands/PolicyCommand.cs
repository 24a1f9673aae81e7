using System.CommandLine;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Reporting;

namespace StreamMasking.Host.Commands;

/// <summary>
/// <c>policy validate FILE</c>: exit 0 with a per-segment summary when the policy is valid, 1 with one
/// <c>file:line:column: path: message</c> line per problem otherwise. <c>policy explain FILE</c>: what happens to
/// each field of each segment.
/// </summary>
internal static class PolicyCommand
{
    internal static Command Create()
    {
        var policy = new Command("policy", "Work with privacy policy files.");
        policy.Subcommands.Add(CreateValidate());
        policy.Subcommands.Add(CreateExplain());
        return policy;
    }

    private static Command CreateValidate()
    {
        var file = new Argument<FileInfo>("file") { Description = "The YAML policy file." };
        var validate = new Command("validate", "Check a policy file; exit 0 when valid, 1 with precise diagnostics otherwise.");
        validate.Arguments.Add(file);
        validate.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var error = parse.InvocationConfiguration.Error;
            if (!path.Exists)
            {
                error.WriteLine($"{path.Name}: file not found");
                return 1;
            }

            var report = PolicyValidator.ValidateFile(path.FullName);
            var target = report.IsValid ? parse.InvocationConfiguration.Output : error;
            foreach (var line in report.Lines)
            {
                target.WriteLine(line);
            }

            return report.ExitCode;
        });
        return validate;
    }

    private static Command CreateExplain()
    {
        var file = new Argument<FileInfo>("file") { Description = "The YAML policy file." };
        var explain = new Command("explain", "Print, per segment, what happens to each field.");
        explain.Arguments.Add(file);
        explain.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var error = parse.InvocationConfiguration.Error;
            var loaded = path.Exists ? PolicyLoader.LoadFile(path.FullName) : null;
            if (loaded?.Policy is not { } policy)
            {
                error.WriteLine(loaded is null ? $"{path.Name}: file not found" : string.Join(Environment.NewLine, loaded.Diagnostics));
                return 1;
            }

            foreach (var line in PolicyExplainer.Explain(policy))
            {
                parse.InvocationConfiguration.Output.WriteLine(line);
            }

            return 0;
        });
        return explain;
    }
}

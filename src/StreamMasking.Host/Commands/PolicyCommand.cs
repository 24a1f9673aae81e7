using System.CommandLine;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Reporting;

namespace StreamMasking.Host.Commands;

/// <summary>
/// <c>policy validate FILE</c>: exit 0 with a per-segment summary when the policy is valid, 1 with one
/// <c>file:line:column: path: message</c> line per problem otherwise. With <c>--schema W.avsc</c> (repeatable) and
/// optionally <c>--previous OLD.yaml</c>, also the masked schema of each segment and whether the schema registry would
/// accept it after the previous policy's (see <see cref="PolicySchemaCheck"/>). <c>policy explain FILE</c>: what happens to
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
        var schemas = new Option<FileInfo[]>("--schema")
        {
            Description = "An Avro writer schema (.avsc) of the input; repeatable. Prints, per segment, the masked subject, the fields dropped and the policy paths the schema lacks.",
        };
        var previous = new Option<FileInfo?>("--previous")
        {
            Description = "The policy deployed now: with --schema, check that each new masked schema can read records of the previous one (BACKWARD, as the schema registry does).",
        };
        var validate = new Command("validate", "Check a policy file; exit 0 when valid, 1 with precise diagnostics otherwise.");
        validate.Arguments.Add(file);
        validate.Options.Add(schemas);
        validate.Options.Add(previous);
        validate.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var writers = parse.GetValue(schemas) ?? [];
            var earlier = parse.GetValue(previous);
            if (earlier is not null && writers.Length == 0)
            {
                error.WriteLine("--previous compares masked schemas: give at least one --schema");
                return 1;
            }

            if (!path.Exists)
            {
                error.WriteLine($"{path.Name}: file not found");
                return 1;
            }

            var loaded = PolicyLoader.LoadFile(path.FullName);
            var report = PolicyValidator.Report(loaded, path.FullName);
            var target = report.IsValid ? output : error;
            foreach (var line in report.Lines)
            {
                target.WriteLine(line);
            }

            if (loaded.Policy is not { } policy || writers.Length == 0)
            {
                return report.ExitCode;
            }

            PrivacyPolicy? previousPolicy = null;
            if (earlier is not null)
            {
                var old = earlier.Exists ? PolicyLoader.LoadFile(earlier.FullName) : null;
                if (old?.Policy is null)
                {
                    error.WriteLine(old is null
                        ? $"{earlier.Name}: file not found"
                        : string.Join(Environment.NewLine, old.Diagnostics.Select(d => d.ToString()).Append($"{earlier.Name}: the previous policy is invalid; nothing to compare with")));
                    return 1;
                }

                previousPolicy = old.Policy;
            }

            var result = PolicySchemaCheck.Run(policy, previousPolicy, writers);
            foreach (var line in result.Lines)
            {
                output.WriteLine(line);
            }

            if (result.Problems > 0)
            {
                error.WriteLine($"{path.Name}: {result.Problems} schema problem(s) ({result.Breaks} compatibility break(s)); do not deploy this policy as it is");
                return 1;
            }

            output.WriteLine(previousPolicy is null
                ? $"{path.Name}: masked schemas derived for {writers.Length} writer schema(s)"
                : $"{path.Name}: masked schemas derived for {writers.Length} writer schema(s); no compatibility break against previous policy version '{previousPolicy.Version}'");
            return 0;
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

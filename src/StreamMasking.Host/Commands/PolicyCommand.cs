using System.CommandLine;
using StreamMasking.Core.Policy;

namespace StreamMasking.Host.Commands;

/// <summary>
/// <c>policy validate FILE</c>: exit 0 when the policy is valid, 1 with one <c>file:line:column: path: message</c>
/// line per problem otherwise. (<c>policy explain FILE</c>, the privacy risk map, joins here.)
/// </summary>
internal static class PolicyCommand
{
    internal static Command Create()
    {
        var policy = new Command("policy", "Work with privacy policy files.");
        policy.Subcommands.Add(CreateValidate());
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
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (!path.Exists)
            {
                error.WriteLine($"{path.Name}: file not found");
                return 1;
            }

            var result = PolicyLoader.LoadFile(path.FullName);
            foreach (var diagnostic in result.Diagnostics)
            {
                (result.IsValid ? output : error).WriteLine(diagnostic.ToString());
            }

            if (!result.IsValid || result.Policy is null)
            {
                error.WriteLine($"{path.Name}: invalid ({result.Diagnostics.Count} problem(s))");
                return 1;
            }

            output.WriteLine($"{path.Name}: valid (version {result.Policy.Version}, {result.Policy.Segments.Count} segments: "
                             + string.Join(", ", result.Policy.Segments.Select(s => $"{s.Name} -> {s.MaskedTopic}")) + ")");
            return 0;
        });
        return validate;
    }
}

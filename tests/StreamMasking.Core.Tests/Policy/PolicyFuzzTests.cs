using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using StreamMasking.Core.Policy;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

/// <summary>
/// Mutated policies never crash the loader: every outcome is either a policy with no diagnostics, or diagnostics
/// with valid positions and no policy.
/// </summary>
public sealed class PolicyFuzzTests
{
    private static readonly string[] Lines = File.ReadAllLines(RepositoryRoot.Of("policies", "examples", "full.yaml"));

    private static readonly string[] Junk =
    [
        "", " ", ":", "- ", "{", "}", "[", "]", "&a", "*a", "*zz", "~", "null", "0", "-1", "1e9", "'", "\"", "#", "\t", "---",
        "all: []", "any: []", "keep", "drop", "tokenize", "action: generalize", "bucket: 10", "regex: '('", "topic:",
        "field: a.b", "name: x", "segments:", "version: 2", "ü", "😀", "? x", "!!str", "<<: *a",
    ];

    private static Gen<string> Mutated() =>
        Gen.Choose(1, 4).SelectMany(count => Gen.ListOf(Mutation(), count)).Select(mutations =>
        {
            var lines = Lines.ToList();
            foreach (var mutate in mutations)
            {
                mutate(lines);
            }

            return string.Join("\n", lines);
        });

    private static Gen<Action<List<string>>> Mutation() =>
        Gen.Zip(Gen.Choose(0, Lines.Length - 1), Gen.Elements(Junk)).SelectMany(pair => Gen.Elements<Action<List<string>>>(
            lines => lines.RemoveAt(Math.Min(pair.Item1, lines.Count - 1)),
            lines => lines.Insert(Math.Min(pair.Item1, lines.Count), lines[Math.Min(pair.Item1, lines.Count - 1)]),
            lines => lines[Math.Min(pair.Item1, lines.Count - 1)] += pair.Item2,
            lines => lines[Math.Min(pair.Item1, lines.Count - 1)] = pair.Item2,
            lines => lines[Math.Min(pair.Item1, lines.Count - 1)] = "  " + lines[Math.Min(pair.Item1, lines.Count - 1)],
            lines =>
            {
                var i = Math.Min(pair.Item1, lines.Count - 1);
                var line = lines[i];
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                lines[i] = colon >= 0 ? line[..(colon + 1)] + " " + pair.Item2 : line;
            }));

    [Property(MaxTest = 400)]
    public Property Parse_MutatedPolicy_NeverThrowsAndIsConsistent() =>
        Prop.ForAll(Mutated().ToArbitrary(), yaml =>
        {
            var result = PolicyLoader.Parse(yaml, "fuzz.yaml");
            var lineCount = yaml.Split('\n').Length + 1;
            return result.IsValid
                ? result.Policy is not null && result.Diagnostics.Count == 0
                : result.Policy is null && result.Diagnostics.Count > 0
                    && result.Diagnostics.All(d => d.Line >= 1 && d.Line <= lineCount && d.Column >= 1 && d.Message.Length > 0);
        });

    [Fact]
    public void Generator_ProducesBothValidAndInvalidPolicies()
    {
        // Guards the property against vacuity: mutations must reach deep validation, not only syntax errors.
        var results = Mutated().Sample(300, 0).Select(y => PolicyLoader.Parse(y, "fuzz.yaml")).ToList();

        results.Count(r => r.IsValid).ShouldBeGreaterThan(10);
        results.Count(r => !r.IsValid && !r.Diagnostics[0].Message.StartsWith("YAML syntax", StringComparison.Ordinal)).ShouldBeGreaterThan(30);
    }
}

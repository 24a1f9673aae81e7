using StreamMasking.Core.Policy;
using StreamMasking.Testing;

namespace StreamMasking.Core.Tests.Policy;

/// <summary>Keeps docs/policy.md honest: its full example is the shipped example file and is valid.</summary>
public sealed class PolicyDocsTests
{
    [Fact]
    public void Docs_FullExample_IsTheExampleFileAndValid()
    {
        var docs = File.ReadAllText(RepositoryRoot.Of("docs", "policy.md"));
        var example = File.ReadAllText(RepositoryRoot.Of("policies", "examples", "full.yaml"));
        var start = docs.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var block = docs[start..docs.IndexOf("```", start, StringComparison.Ordinal)];

        block.ShouldBe(example);
        PolicyLoader.Parse(block, "docs/policy.md").IsValid.ShouldBeTrue();
    }
}

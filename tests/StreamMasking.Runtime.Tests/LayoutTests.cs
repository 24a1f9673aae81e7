using StreamMasking.Testing;
using StreamMasking.Testing.Architecture;

namespace StreamMasking.Runtime.Tests;

/// <summary>Folder = concept = namespace, and dependencies point one way (docs/architecture.md).</summary>
public sealed class LayoutTests
{
    [Theory]
    [InlineData("src/StreamMasking.Runtime", "StreamMasking.Runtime")]
    [InlineData("src/StreamMasking.Core", "StreamMasking.Core")]
    public void Namespaces_HaveNoCycle(string directory, string rootNamespace)
    {
        var graph = NamespaceGraph.Read(RepositoryRoot.Of(directory.Split('/')), rootNamespace);

        graph.Count.ShouldBeGreaterThan(5);
        NamespaceGraph.Cycles(graph).ShouldBeEmpty();
    }

    [Fact]
    public void Runtime_TheLoopKnowsNothingOfTheStages()
    {
        var graph = NamespaceGraph.Read(RepositoryRoot.Of("src", "StreamMasking.Runtime"), "StreamMasking.Runtime");

        graph["Processing"].ShouldBe(["Diagnostics", "Kafka"], ignoreOrder: true);
        graph["Configuration"].ShouldBeEmpty();
        graph["Diagnostics"].ShouldBeEmpty();
    }

    [Fact]
    public void Cycles_AUsingThatClosesALoop_IsFound()
    {
        var graph = new Dictionary<string, SortedSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };

        NamespaceGraph.Cycles(graph).ShouldBe(["A → B → C → A"]);
        graph["C"].Clear();
        NamespaceGraph.Cycles(graph).ShouldBeEmpty();
    }
}

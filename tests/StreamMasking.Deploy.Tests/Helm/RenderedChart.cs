using StreamMasking.Deploy.Tests.Support;
using StreamMasking.Testing;
using YamlDotNet.RepresentationModel;

namespace StreamMasking.Deploy.Tests.Helm;

/// <summary>The chart rendered with one values file, with accessors for the parts the tests check.</summary>
internal sealed class RenderedChart
{
    private RenderedChart(string valuesFile, string manifests)
    {
        ValuesFile = valuesFile;
        Manifests = manifests;
        Documents = ChartRenderer.Documents(manifests);
    }

    internal string ValuesFile { get; }

    internal string Manifests { get; }

    internal IReadOnlyList<YamlMappingNode> Documents { get; }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<ProcessResult>> Cache = new(StringComparer.Ordinal);

    /// <summary>Renders once per values-file list (the files do not change during a run) and parses the result.</summary>
    internal static RenderedChart Render(params string[] valuesFiles)
    {
        var key = string.Join(",", valuesFiles);
        var result = Cache.GetOrAdd(key, _ => new Lazy<ProcessResult>(() => ChartRenderer.Render(valuesFiles))).Value;
        result.ExitCode.ShouldBe(0, result.ToString());
        return new RenderedChart(key, result.Output);
    }

    internal IEnumerable<string> Kinds => Documents.Select(d => d.Str("kind"));

    internal YamlMappingNode Single(string kind, string? nameSuffix = null) =>
        Documents.Single(d => d.Str("kind") == kind && (nameSuffix is null || d.Map("metadata").Str("name").EndsWith(nameSuffix, StringComparison.Ordinal)));

    internal YamlMappingNode? Find(string kind) => Documents.SingleOrDefault(d => d.Str("kind") == kind);

    internal YamlMappingNode Workload => Documents.Single(d => d.Str("kind") is "StatefulSet" or "Deployment");

    internal YamlMappingNode PodSpec => Workload.Map("spec").Map("template").Map("spec");

    internal YamlMappingNode Container => (YamlMappingNode)PodSpec.Seq("containers").Single();

    internal IReadOnlyList<YamlMappingNode> Env => Container.Seq("env").Cast<YamlMappingNode>().ToList();

    internal string? EnvValue(string name) => Env.SingleOrDefault(e => e.Str("name") == name)?.StrOrNull("value");
}

/// <summary>Short accessors on parsed YAML.</summary>
internal static class YamlNodes
{
    internal static YamlMappingNode Map(this YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    internal static YamlSequenceNode Seq(this YamlMappingNode node, string key) => (YamlSequenceNode)node[key];

    internal static string Str(this YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    internal static string? StrOrNull(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    internal static bool Has(this YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    internal static IReadOnlyDictionary<string, string> Dict(this YamlMappingNode node, string key) =>
        node.Has(key)
            ? ((YamlMappingNode)node[key]).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!)
            : new Dictionary<string, string>();
}

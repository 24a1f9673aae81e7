using StreamMasking.Testing;
using YamlDotNet.RepresentationModel;

namespace StreamMasking.Deploy.Tests.Support;

/// <summary>
/// Renders the Helm chart offline with tests/helm-render, a Go program built once per test run in GOPATH mode
/// against Debian's sprig and yaml.v3 sources (no module proxy, no helm binary).
/// </summary>
internal static class ChartRenderer
{
    private static readonly Lazy<string> Binary = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    internal const string ReleaseName = "sm";
    internal const string Namespace = "data";

    /// <summary>Renders with the given values files (relative to the chart); the manifests, or the error.</summary>
    internal static ProcessResult Render(params string[] valuesFiles) => Run(valuesFiles, []);

    /// <summary>The values after merging values.yaml and the files, as JSON (what Helm validates against the schema).</summary>
    internal static ProcessResult MergedValues(params string[] valuesFiles) => Run(valuesFiles, ["-values-json"]);

    internal static ProcessResult Notes(params string[] valuesFiles) => Run(valuesFiles, ["-notes"]);

    /// <summary>The rendered documents, each parsed.</summary>
    internal static IReadOnlyList<YamlMappingNode> Documents(string manifests)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(manifests));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    private static ProcessResult Run(string[] valuesFiles, string[] extra)
    {
        var args = new List<string> { "-chart", RepositoryPaths.Chart, "-name", ReleaseName, "-namespace", Namespace };
        foreach (var f in valuesFiles)
        {
            args.Add("-f");
            args.Add(Path.IsPathRooted(f) ? f : Path.Combine(RepositoryPaths.Chart, f));
        }

        args.AddRange(extra);
        return ExternalTool.Run(Binary.Value, args);
    }

    private static string Build()
    {
        var go = ExternalTool.Require("go", "golang-go");
        const string gopath = "/usr/share/gocode";
        foreach (var (package, debian) in new[]
                 {
                     ("github.com/Masterminds/sprig", "golang-github-masterminds-sprig-dev"), ("gopkg.in/yaml.v3", "golang-gopkg-yaml.v3-dev"),
                 })
        {
            ExternalTool.RequireDirectory(Path.Combine(gopath, "src", package), debian);
        }

        // One binary per renderer source: a rerun reuses it, a changed renderer gets a new one.
        var source = RepositoryRoot.Of("tests", "helm-render", "main.go");
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(source)))[..16];
        var binary = Path.Combine(Path.GetTempPath(), $"streammasking-helm-render-{hash}");
        if (File.Exists(binary))
        {
            return binary;
        }

        var output = $"{binary}.{Environment.ProcessId}";
        var result = ExternalTool.Run(go, ["build", "-o", output, "."], RepositoryRoot.Of("tests", "helm-render"),
            environment: new Dictionary<string, string>
            {
                ["GO111MODULE"] = "off",
                ["GOPATH"] = gopath,
                ["GOFLAGS"] = "",
                // A cache of our own: the build works for any user, also without HOME.
                ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "streammasking-go-cache"),
            });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("building tests/helm-render failed: " + result);
        }

        File.Move(output, binary, overwrite: true);
        return binary;
    }
}

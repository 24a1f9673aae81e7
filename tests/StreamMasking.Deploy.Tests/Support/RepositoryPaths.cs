namespace StreamMasking.Deploy.Tests.Support;

/// <summary>Paths of the deployment files, from the repository root (the directory holding StreamMasking.slnx).</summary>
internal static class RepositoryPaths
{
    internal static string Root { get; } = FindRoot();

    internal static string Chart => Path.Combine(Root, "helm", "streammasking");

    internal static string RulesFile => Path.Combine(Chart, "files", "rules", "streammasking-rules.yaml");

    internal static string RulesTestFile => Path.Combine(Chart, "files", "rules", "streammasking-rules.test.yaml");

    internal static string DashboardFile => Path.Combine(Chart, "files", "dashboards", "streammasking.json");

    internal static string OperationsDoc => Path.Combine(Root, "docs", "operations.md");

    internal static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StreamMasking.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("StreamMasking.slnx not found above " + AppContext.BaseDirectory);
    }
}

using StreamMasking.Testing;

namespace StreamMasking.Deploy.Tests.Support;

/// <summary>Paths of the deployment files below the repository root.</summary>
internal static class RepositoryPaths
{
    internal static string Chart => RepositoryRoot.Of("helm", "streammasking");

    internal static string RulesFile => Path.Combine(Chart, "files", "rules", "streammasking-rules.yaml");

    internal static string RulesTestFile => Path.Combine(Chart, "files", "rules", "streammasking-rules.test.yaml");

    internal static string DashboardFile => Path.Combine(Chart, "files", "dashboards", "streammasking.json");

    internal static string OperationsDoc => RepositoryRoot.Of("docs", "operations.md");
}

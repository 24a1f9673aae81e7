using StreamMasking.Testing;

namespace StreamMasking.Deploy.Tests.Support;

/// <summary>
/// Runs a command-line tool as a process. A missing tool skips the test on a workstation but fails it in CI
/// (<c>CI=true</c>), where scripts/install-test-tools.sh must have installed it.
/// </summary>
internal static class ExternalTool
{
    private static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The tool's full path; skips (or, in CI, fails) the test when it is not on PATH.</summary>
    internal static string Require(string name, string debianPackage, bool? inCi = null)
    {
        var path = Find(name);
        if (path is null)
        {
            Missing($"{name} is not installed", debianPackage, inCi);
        }

        return path!;
    }

    /// <summary>Skips the test, or fails it in CI, because something a Debian package provides is missing.</summary>
    internal static void Missing(string what, string debianPackage, bool? inCi = null)
    {
        var message = $"{what} (apt-get install {debianPackage}; scripts/install-test-tools.sh does it).";
        if (inCi ?? InCi)
        {
            throw new InvalidOperationException(message);
        }

        Skip.If(true, message);
    }

    /// <summary>Skips (or, in CI, fails) the test when a directory a Debian package installs is missing.</summary>
    internal static void RequireDirectory(string path, string debianPackage)
    {
        if (!Directory.Exists(path))
        {
            Missing($"{path} is missing", debianPackage);
        }
    }

    internal static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs the tool to completion from the repository root (unless told) and returns its exit code and output. The
    /// default bound, 3 minutes, is generous: the machine may be busy; the tools themselves take well under a second.
    /// </summary>
    internal static ProcessResult Run(
        string path, IEnumerable<string> arguments, string? workingDirectory = null, string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        ProcessRunner.Run(path, arguments, timeout ?? TimeSpan.FromMinutes(3), standardInput, workingDirectory ?? RepositoryRoot.Directory, environment);
}

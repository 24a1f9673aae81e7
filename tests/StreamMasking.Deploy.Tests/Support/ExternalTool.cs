using System.Diagnostics;
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

    /// <summary>Runs the tool to completion (bounded by <paramref name="timeout"/>) and returns its exit code and output.</summary>
    internal static ToolResult Run(
        string path, IEnumerable<string> arguments, string? workingDirectory = null, string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Directory,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        // Generous bound: the machine may be busy; the tools themselves take well under a second.
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(path)} {string.Join(' ', arguments)} did not finish");
        }

        process.WaitForExit();
        return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}

/// <summary>Exit code and output of a tool run.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}

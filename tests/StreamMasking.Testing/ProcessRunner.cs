using System.Diagnostics;

namespace StreamMasking.Testing;

/// <summary>Runs a program to completion with captured output, for tests that check against independent tools.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="path"/> with <paramref name="arguments"/>, writes <paramref name="standardInput"/> (if any)
    /// and closes its input, and waits at most <paramref name="timeout"/> (then kills it and throws).
    /// </summary>
    public static ProcessResult Run(
        string path, IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
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
        }

        // Closed even without input, so that a program reading its input sees the end instead of waiting.
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(path)} {string.Join(' ', info.ArgumentList)} did not finish in {timeout}");
        }

        // The bounded wait does not wait for the redirected output to be drained; this one does.
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}

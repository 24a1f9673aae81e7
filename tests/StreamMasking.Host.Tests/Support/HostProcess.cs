using System.Diagnostics;
using System.Text;

namespace StreamMasking.Host.Tests.Support;

/// <summary>Runs the built <c>streammasking</c> executable as a separate process and captures its output.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private HostProcess(Process process)
    {
        _process = process;
    }

    internal string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    internal string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    internal bool HasExited => _process.HasExited;

    internal int ProcessId => _process.Id;

    internal int ExitCode => _process.ExitCode;

    internal static HostProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "streammasking.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start streammasking");
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, e) => Append(host._output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(host._error, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    internal async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    internal void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }
}

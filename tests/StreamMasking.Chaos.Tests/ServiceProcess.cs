using System.Diagnostics;
using System.Globalization;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// One <c>streammasking run</c> instance as its own OS process, with its own instance id and state directory. Its
/// output goes to a log file of its own (appended across restarts), so the leak scan can read every line it wrote.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Func<string[]> _arguments;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Process? _process;
    private bool _exitRecorded;

    internal ServiceProcess(string instanceId, string stateDirectory, string logFile, Func<string[]> arguments, IReadOnlyDictionary<string, string> environment)
    {
        InstanceId = instanceId;
        StateDirectory = stateDirectory;
        LogFile = logFile;
        _arguments = arguments;
        _environment = environment;
    }

    internal string InstanceId { get; }

    internal string StateDirectory { get; }

    internal string LogFile { get; }

    internal bool IsRunning => _process is { HasExited: false };

    /// <summary>The current incarnation's OS process id, if one was started.</summary>
    internal int? ProcessId => _process?.Id;

    internal bool IsStopped { get; private set; }

    /// <summary>Exit codes of incarnations that ended on their own (not killed or stopped by the chaos loop).</summary>
    internal List<int> UnexpectedExits { get; } = [];

    internal void Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "streammasking.dll"));
        foreach (var argument in _arguments())
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start streammasking run");
        var log = new StreamWriter(LogFile, append: true) { AutoFlush = true };
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.WriteLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) =>
        {
            process.WaitForExit();
            lock (log)
            {
                log.Dispose();
            }
        };
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        _exitRecorded = false;
        IsStopped = false;
    }

    /// <summary>Records an exit the chaos loop did not cause, and starts a new incarnation unless told not to.</summary>
    internal bool RestartIfExited(bool restart = true)
    {
        if (_process is { HasExited: true } exited && !IsStopped && !_exitRecorded)
        {
            UnexpectedExits.Add(exited.ExitCode);
            _exitRecorded = true;
            if (restart)
            {
                Start();
            }

            return true;
        }

        return false;
    }

    internal async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            Signal("KILL");
            await p.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM: a graceful stop (the service commits what it has and leaves the group).</summary>
    internal async Task TerminateAsync(TimeSpan timeout)
    {
        if (_process is { HasExited: false } p)
        {
            Signal("TERM");
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Signal("KILL");
                await p.WaitForExitAsync();
            }
        }
    }

    /// <summary>SIGSTOP: the process freezes with its transactions open, as a zombie does.</summary>
    internal void Freeze()
    {
        Signal("STOP");
        IsStopped = true;
    }

    internal void Thaw()
    {
        Signal("CONT");
        IsStopped = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsStopped)
        {
            Thaw();
        }

        await KillAsync();
        _process?.Dispose();
    }

    private void Signal(string signal)
    {
        if (_process is not { HasExited: false } p)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, p.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }
}

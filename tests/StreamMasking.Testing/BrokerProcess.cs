using System.Diagnostics;
using StreamMasking.Broker;

namespace StreamMasking.Testing;

/// <summary>
/// The local broker as a separate OS process (<c>dotnet StreamMasking.Broker.dll --port P --data-dir D</c>), for
/// crash and durability tests: it can be killed and restarted while the test process keeps running.
/// </summary>
public sealed class BrokerProcess : IAsyncDisposable
{
    // The broker's log (its standard error: ids and coordinates, never record contents) is appended to the file
    // named by STREAMMASKING_BROKER_LOG, for debugging a failed crash test, and discarded when it is unset.
    private static readonly Lock LogSync = new();
    private readonly Process _process;

    private BrokerProcess(Process process, string bootstrapServers)
    {
        _process = process;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The address from the broker's first stdout line (<c>LISTENING host:port</c>).</summary>
    public string BootstrapServers { get; }

    public int Port => int.Parse(BootstrapServers[(BootstrapServers.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public bool HasExited => _process.HasExited;

    /// <summary>Operating-system id of the broker process (for resource measurements).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the broker process and waits for its LISTENING line.</summary>
    public static async Task<BrokerProcess> StartAsync(string dataDirectory, int port = 0, TimeSpan? timeout = null, params string[] extraArguments)
    {
        var dll = typeof(LocalBroker).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in LaunchArguments(dll).Concat(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDirectory]).Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the broker process.");
        var log = Environment.GetEnvironmentVariable("STREAMMASKING_BROKER_LOG");
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(log) && e.Data is not null)
            {
                lock (LogSync)
                {
                    File.AppendAllText(log, e.Data + Environment.NewLine);
                }
            }
        };
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(cts.Token)
                    ?? throw new InvalidOperationException($"Broker process exited before listening (exit code {(process.HasExited ? process.ExitCode : -1)}).");
                if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
                {
                    return new BrokerProcess(process, line["LISTENING ".Length..].Trim());
                }
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>exec DLL</c>, with the service's runtime configuration when the service sits beside the broker: a test
    /// project that references the service (an ASP.NET Core app) gets the logging assemblies from the shared
    /// framework rather than as files, and the broker's own runtime configuration would not find them.
    /// </summary>
    private static string[] LaunchArguments(string dll)
    {
        var directory = Path.GetDirectoryName(dll)!;
        var runtimeConfig = Path.Combine(directory, "streammasking.runtimeconfig.json");
        var deps = Path.Combine(directory, "streammasking.deps.json");
        return File.Exists(runtimeConfig) && File.Exists(deps)
            ? ["exec", "--runtimeconfig", runtimeConfig, "--depsfile", deps, dll]
            : ["exec", dll];
    }

    /// <summary>Kills the process abruptly (SIGKILL): no graceful shutdown, like a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Sends SIGTERM and waits for the graceful exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}

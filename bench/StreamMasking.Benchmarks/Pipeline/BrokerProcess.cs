using System.Diagnostics;

namespace StreamMasking.Benchmarks.Pipeline;

/// <summary>
/// The local broker (StreamMasking.Broker, copied next to this executable) in a process of its own, in memory or
/// with a data directory, on a free port: its memory is then not counted in this process's, and its garbage
/// collections do not pause what is measured here.
/// </summary>
internal sealed class BrokerProcess : IDisposable
{
    private readonly Process _process;

    private BrokerProcess(Process process, string bootstrapServers)
    {
        _process = process;
        BootstrapServers = bootstrapServers;
    }

    internal string BootstrapServers { get; }

    internal int ProcessId => _process.Id;

    internal static async Task<BrokerProcess> StartAsync(int defaultPartitions, string? dataDirectory = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "StreamMasking.Broker.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "--port", "0", "--default-partitions", defaultPartitions.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (dataDirectory is not null)
        {
            start.ArgumentList.Add("--data-dir");
            start.ArgumentList.Add(dataDirectory);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The broker process did not start.");
        // Its log goes to stderr: drained so that the pipe never fills and blocks it.
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            // The broker's first stdout line is its bound address.
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                return new BrokerProcess(process, line["LISTENING ".Length..].Trim());
            }
        }

        process.Kill();
        process.Dispose();
        throw new InvalidOperationException("The broker process exited without listening.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }
}

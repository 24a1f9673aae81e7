using System.CommandLine;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using StreamMasking.Host.Embedded;

namespace StreamMasking.Host.Commands;

/// <summary>
/// <c>broker</c>: runs the local Kafka broker until stopped. The first stdout line is <c>LISTENING host:port</c>,
/// so scripts and tests can start it with <c>--port 0</c> and read the address.
/// </summary>
internal static class BrokerCommand
{
    internal static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port; 0 picks a free one.", DefaultValueFactory = _ => 9092 };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Directory of the durable log, kept across restarts (default: a temporary directory deleted on exit)." };
        var broker = new Command("broker", "Run the local single-node Kafka broker (development and tests).");
        broker.Options.Add(port);
        broker.Options.Add(dataDir);
        broker.SetAction(async (parse, ct) =>
        {
            using var loggerFactory = LoggerFactory.Create(b => b
                .SetMinimumLevel(LogLevel.Warning)
                // Logs go to stderr: stdout carries only the LISTENING line that callers parse.
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddFilter("Microsoft", LogLevel.Warning));
            var options = new EmbeddedBrokerOptions { Port = parse.GetValue(port), DataDirectory = parse.GetValue(dataDir)?.FullName };
            EmbeddedBroker running;
            try
            {
                running = await EmbeddedBroker.StartAsync(options, loggerFactory, ct);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(
                    $"broker: port {options.Port} is already in use; choose another with --port (0 picks a free one)");
                return 2;
            }

            await using var _ = running;
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"LISTENING {running.BootstrapServers}");
            await output.FlushAsync(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C / SIGTERM: stop cleanly (logs are flushed by DisposeAsync).
            }

            return 0;
        });
        return broker;
    }
}

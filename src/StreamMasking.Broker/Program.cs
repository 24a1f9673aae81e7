using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using StreamMasking.Broker;

var host = new Option<string>("--host") { Description = "Interface to listen on and advertise.", DefaultValueFactory = _ => "127.0.0.1" };
var port = new Option<int>("--port") { Description = "TCP port (0 = pick a free port).", DefaultValueFactory = _ => 9092 };
var dataDir = new Option<string?>("--data-dir") { Description = "Directory for durable logs and coordinator state (default: in memory)." };
var partitions = new Option<int>("--default-partitions") { Description = "Partitions of auto-created topics.", DefaultValueFactory = _ => 3 };
var autoCreate = new Option<bool>("--auto-create-topics") { Description = "Create unknown topics on Metadata/Produce.", DefaultValueFactory = _ => true };
var rebalanceDelay = new Option<int>("--group-initial-rebalance-delay-ms") { Description = "Group coordinator initial rebalance delay.", DefaultValueFactory = _ => 0 };
var cacheBytes = new Option<long>("--log-cache-bytes") { Description = "Bytes of record batches cached in memory for fetches (the rest is read from the segment files).", DefaultValueFactory = _ => 32L * 1024 * 1024 };
var verbose = new Option<bool>("--verbose") { Description = "Debug logging (never logs record contents)." };

var root = new RootCommand("StreamMasking local Kafka broker: single node, Kafka wire protocol.")
{
    host, port, dataDir, partitions, autoCreate, rebalanceDelay, cacheBytes, verbose,
};

root.SetAction(async (parse, cancellationToken) =>
{
    using var loggerFactory = LoggerFactory.Create(builder => builder
        .SetMinimumLevel(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
    var options = new LocalBrokerOptions
    {
        Host = parse.GetValue(host)!,
        Port = parse.GetValue(port),
        DataDirectory = parse.GetValue(dataDir),
        DefaultPartitions = parse.GetValue(partitions),
        AutoCreateTopics = parse.GetValue(autoCreate),
        GroupInitialRebalanceDelayMs = parse.GetValue(rebalanceDelay),
        LogCacheBytes = parse.GetValue(cacheBytes),
    };
    // SIGTERM (docker/kubectl stop, test harnesses) and SIGINT stop the broker gracefully.
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    await using var broker = await LocalBroker.StartAsync(options, loggerFactory, stop.Token);

    // Machine-readable first line of stdout: tests spawning this process read the bound address from it.
    Console.Out.WriteLine($"LISTENING {broker.BootstrapServers}");
    Console.Out.Flush();
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        // SIGTERM / Ctrl-C: dispose stops the broker gracefully.
    }

    return 0;

    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.Cancel();
    }
});

return await root.Parse(args).InvokeAsync();

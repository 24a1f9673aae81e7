using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Broker.Diagnostics;
using StreamMasking.Broker.Faults;
using StreamMasking.Broker.Handlers;
using StreamMasking.Broker.Server;
using StreamMasking.Broker.Storage;

namespace StreamMasking.Broker;

/// <summary>
/// A running single-node Kafka broker speaking the Kafka wire protocol on TCP. Start with
/// <see cref="StartAsync"/>, hand <see cref="BootstrapServers"/> to any Kafka client, dispose to stop gracefully.
/// </summary>
public sealed class LocalBroker : IAsyncDisposable
{
    private readonly BrokerContext _context;
    private readonly KafkaServer _server;
    private readonly IReadOnlyList<IBrokerModule> _modules;
    private readonly LogCleaner _cleaner;
    private readonly ILogger _logger;
    private int _disposed;

    private LocalBroker(BrokerContext context, KafkaServer server, IReadOnlyList<IBrokerModule> modules, LogCleaner cleaner, ILogger logger)
    {
        _context = context;
        _server = server;
        _modules = modules;
        _cleaner = cleaner;
        _logger = logger;
    }

    /// <summary>The <c>host:port</c> clients bootstrap from (the bound port when the configured port is 0).</summary>
    public string BootstrapServers => string.Create(CultureInfo.InvariantCulture, $"{_context.AdvertisedHost}:{_context.AdvertisedPort}");

    /// <summary>The bound TCP port.</summary>
    public int Port => _context.AdvertisedPort;

    /// <summary>Fault injection for tests.</summary>
    public BrokerFaults Faults => _context.Faults;

    internal BrokerContext Context => _context;

    /// <summary>Recovers the data directory (if any), starts the coordinators and begins accepting connections.</summary>
    public static async Task<LocalBroker> StartAsync(LocalBrokerOptions? options = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalBrokerOptions();
        if (options.DefaultPartitions <= 0)
        {
            throw new ArgumentException("DefaultPartitions must be positive.", nameof(options));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("StreamMasking.Broker");
        var context = new BrokerContext(options, loggerFactory);
        if (options.DataDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            var truncated = context.Topics.Recover();
            BrokerLog.Recovered(logger, context.Topics.All().Count, dir, truncated);
        }

        var registry = new ApiRegistry();
        registry.Register(new ApiVersionsHandler(registry));
        registry.Register(new MetadataHandler());
        registry.Register(new ProduceHandler());
        registry.Register(new FetchHandler());
        registry.Register(new ListOffsetsHandler());
        registry.Register(new OffsetForLeaderEpochHandler());
        registry.Register(new CreateTopicsHandler(logger));
        registry.Register(new DeleteTopicsHandler(logger));
        registry.Register(new DeleteRecordsHandler());
        registry.Register(new DescribeConfigsHandler());
        registry.Register(new DescribeClusterHandler());

        var server = new KafkaServer(context, registry);
        try
        {
            context.AdvertisedPort = server.Bind();
        }
        catch
        {
            // E.g. the port is taken: release the recovered log files before reporting it.
            context.Topics.Dispose();
            throw;
        }

        var modules = ApiRegistry.CreateModules();
        var started = new List<IBrokerModule>();
        try
        {
            foreach (var module in modules)
            {
                await module.StartAsync(context, registry, cancellationToken);
                started.Add(module);
            }
        }
        catch
        {
            foreach (var module in started)
            {
                await module.DisposeAsync();
            }

            await server.DisposeAsync();
            context.Topics.Dispose();
            throw;
        }

        var cleaner = new LogCleaner(context, logger);
        server.StartAccepting();
        BrokerLog.Listening(logger, string.Create(CultureInfo.InvariantCulture, $"{context.AdvertisedHost}:{context.AdvertisedPort}"));
        return new LocalBroker(context, server, started, cleaner, logger);
    }

    /// <summary>Runs retention and compaction once now (tests; normally a background timer does it).</summary>
    public void RunLogCleanerOnce() => _cleaner.RunOnce();

    /// <summary>Stops accepting, closes connections, stops coordinators and closes the log files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _server.DisposeAsync();
        await _cleaner.DisposeAsync();
        foreach (var module in _modules.Reverse())
        {
            await module.DisposeAsync();
        }

        _context.Topics.Dispose();
        BrokerLog.Stopped(_logger);
    }
}

using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Faults;
using StreamMasking.Broker.Storage;
using StreamMasking.Broker.Topics;

namespace StreamMasking.Broker;

/// <summary>Shared services of one broker instance, given to handlers and modules.</summary>
internal sealed class BrokerContext
{
    public BrokerContext(LocalBrokerOptions options, ILoggerFactory loggerFactory)
    {
        Options = options;
        LoggerFactory = loggerFactory;
        Time = options.TimeProvider;
        LogChanged = new LogChangeNotifier();
        Topics = new TopicManager(options.DataDirectory, Time, LogChanged.Notify, new BatchCache(options.LogCacheBytes));
        Faults = new BrokerFaults();
        ClusterId = "streammasking-local";
    }

    public LocalBrokerOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    public TimeProvider Time { get; }

    public TopicManager Topics { get; }

    public LogChangeNotifier LogChanged { get; }

    public BrokerFaults Faults { get; }

    /// <summary>Null when the broker keeps everything in memory.</summary>
    public string? DataDirectory => Options.DataDirectory;

    public int NodeId => Options.NodeId;

    public string ClusterId { get; }

    /// <summary>Host advertised in Metadata/FindCoordinator.</summary>
    public string AdvertisedHost => Options.Host;

    /// <summary>The actually bound port (known once the listener started; port 0 resolves here).</summary>
    public int AdvertisedPort { get; set; }

    /// <summary>Partition count for auto-created topics.</summary>
    public int DefaultPartitions => Options.DefaultPartitions;
}

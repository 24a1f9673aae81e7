using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Diagnostics;

namespace StreamMasking.Broker.Storage;

/// <summary>Background retention and compaction of every partition, every LogCleanerIntervalMs.</summary>
internal sealed class LogCleaner : IAsyncDisposable
{
    private readonly BrokerContext _broker;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly Lock _runLock = new();

    public LogCleaner(BrokerContext broker, ILogger logger)
    {
        _broker = broker;
        _logger = logger;
        var interval = TimeSpan.FromMilliseconds(Math.Max(100, broker.Options.LogCleanerIntervalMs));
        _timer = broker.Time.CreateTimer(_ => RunOnce(), null, interval, interval);
    }

    public void RunOnce()
    {
        lock (_runLock)
        {
            var now = _broker.Time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var topic in _broker.Topics.All())
            {
                var config = topic.Config;
                foreach (var log in topic.Partitions)
                {
                    try
                    {
                        var segments = config.Delete ? log.ApplyRetention(config, now) : 0;
                        var batches = config.Compact ? log.Compact(config, now) : 0;
                        if (segments + batches > 0)
                        {
                            BrokerLog.Cleaned(_logger, log.Topic, log.Partition, segments, batches, log.LogStartOffset);
                        }
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
                    {
                        BrokerLog.CleanerFailed(_logger, log.Topic, log.Partition, e);
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        lock (_runLock)
        {
            // Wait for a running pass to finish.
        }
    }
}

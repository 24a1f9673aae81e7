using Microsoft.Extensions.Logging;
using StreamMasking.Broker;
using StreamMasking.Host.Diagnostics;

namespace StreamMasking.Host.Embedded;

/// <summary>
/// The local broker started in-process by <c>demo</c> and <c>broker</c> (never by <c>run</c>). Clients reach it over
/// TCP exactly as a real Kafka. Production uses a real Kafka cluster.
/// </summary>
internal sealed partial class EmbeddedBroker : IAsyncDisposable
{
    private readonly LocalBroker _broker;
    private readonly string? _temporaryDirectory;

    private EmbeddedBroker(LocalBroker broker, string? temporaryDirectory)
    {
        _broker = broker;
        _temporaryDirectory = temporaryDirectory;
    }

    /// <summary>The <c>host:port</c> to use as bootstrap servers.</summary>
    public string BootstrapServers => _broker.BootstrapServers;

    /// <summary>Starts the broker; without a configured data directory it uses a fresh temporary one, deleted on dispose.</summary>
    public static async Task<EmbeddedBroker> StartAsync(EmbeddedBrokerOptions options, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        string? temporary = null;
        var directory = options.DataDirectory;
        if (string.IsNullOrWhiteSpace(directory))
        {
            temporary = Directory.CreateTempSubdirectory("streammasking-broker-").FullName;
            directory = temporary;
        }

        LocalBroker broker;
        try
        {
            broker = await LocalBroker.StartAsync(
                new LocalBrokerOptions { Port = options.Port, DataDirectory = directory },
                loggerFactory,
                cancellationToken);
        }
        catch when (temporary is not null)
        {
            Directory.Delete(temporary, recursive: true);
            throw;
        }

        Started(loggerFactory.CreateLogger<EmbeddedBroker>(), broker.BootstrapServers);
        return new EmbeddedBroker(broker, temporary);
    }

    /// <summary>Stops the broker and deletes its temporary data directory, if it made one.</summary>
    public async ValueTask DisposeAsync()
    {
        await _broker.DisposeAsync();
        if (_temporaryDirectory is not null)
        {
            try
            {
                Directory.Delete(_temporaryDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }

    [LoggerMessage(LogEventIds.EmbeddedBrokerStarted, LogLevel.Information, "Embedded local broker listening on {BootstrapServers}")]
    private static partial void Started(ILogger logger, string bootstrapServers);
}

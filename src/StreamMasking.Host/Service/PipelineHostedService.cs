using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Embedded;
using StreamMasking.Runtime.Pipeline;

namespace StreamMasking.Host.Service;

/// <summary>The one hosted service of <c>run</c>: (embedded broker,) masking pipeline until the host stops.</summary>
internal sealed partial class PipelineHostedService : BackgroundService
{
    private readonly ServiceSettings _settings;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;

    public PipelineHostedService(ServiceSettings settings, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    {
        _settings = settings;
        _loggerFactory = loggerFactory;
        _lifetime = lifetime;
        _logger = loggerFactory.CreateLogger<PipelineHostedService>();
    }

    /// <summary>Process exit code: 0 after a clean stop, 1 when the pipeline stopped on its own.</summary>
    internal int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leave the host's start-up path at once: the pipeline runs on its own threads.
        await Task.Yield();
        EmbeddedBroker? broker = null;
        try
        {
            var options = _settings.Options;
            if (_settings.UseEmbeddedBroker)
            {
                broker = await EmbeddedBroker.StartAsync(options.EmbeddedBroker, _loggerFactory, stoppingToken);
                options.Kafka.BootstrapServers = broker.BootstrapServers;
            }

            using var pipeline = MaskingPipeline.Create(options, _settings.Policy, _settings.MasterSecret, _loggerFactory);
            await pipeline.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal stop.
        }
        catch (Exception e)
        {
            Failed(_logger, e.GetType().Name, e.Message);
            ExitCode = 1;
            _lifetime.StopApplication();
        }
        finally
        {
            if (broker is not null)
            {
                await broker.DisposeAsync();
            }
        }
    }

    // Runtime exception messages name settings and Kafka errors, never record contents.
    [LoggerMessage(1, LogLevel.Critical, "Pipeline stopped: {ExceptionType}: {Message}")]
    private static partial void Failed(ILogger logger, string exceptionType, string message);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StreamMasking.Host.Diagnostics;
using StreamMasking.Host.Service.Http;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Hosting;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Metrics;

namespace StreamMasking.Host.Service;

/// <summary>The one hosted service of <c>run</c>: the HTTP endpoints, then the masking pipeline until the host stops.</summary>
internal sealed partial class PipelineHostedService : BackgroundService
{
    private static readonly TimeSpan TopicWaitInterval = TimeSpan.FromSeconds(2);

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

    /// <summary>Process exit code: 0 after a clean stop, 1 when the pipeline stopped on its own, 2 on a start-up problem.</summary>
    internal int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leave the host's start-up path at once: the pipeline runs on its own threads.
        await Task.Yield();
        var options = _settings.Options;
        var metrics = new PipelineMetrics(options.Metrics);
        metrics.PolicyLoaded(_settings.Policy, _settings.PolicyContentHash);
        StatusServer? server = null;
        try
        {
            server = await StatusServer.StartAsync(options.Http, metrics, _settings.Policy, TimeProvider.System, stoppingToken);
            EndpointsListening(_logger, server.Address);
            await WaitForInputTopicsAsync(metrics, stoppingToken);
            metrics.InputTopicsMissing([], _settings.Options.Pipeline.InputTopics);
            using var pipeline = MaskingPipeline.Create(options, _settings.Policy, _settings.MasterSecret, _loggerFactory, metrics: metrics);
            await pipeline.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal stop.
        }
        catch (StreamMaskingConfigurationException e)
        {
            StartFailed(_logger, e.Message);
            ExitCode = 2;
            _lifetime.StopApplication();
        }
        catch (Exception e)
        {
            Failed(_logger, e.GetType().Name, e.Message);
            ExitCode = 1;
            _lifetime.StopApplication();
        }
        finally
        {
            metrics.PipelineStopped();
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    // Only reached with WaitForInputTopics (otherwise a missing topic stopped the start before the host ran).
    private async Task WaitForInputTopicsAsync(PipelineMetrics metrics, CancellationToken stoppingToken)
    {
        var options = _settings.Options;
        var inputs = options.Pipeline.InputTopics;
        for (var attempt = 0; !options.Topics.ProvisionInputTopics; attempt++)
        {
            var missing = KafkaStartupProbe.MissingTopics(options.Kafka, inputs, options.Pipeline.OperationTimeout);
            metrics.InputTopicsMissing(missing, inputs);
            if (missing.Count == 0)
            {
                return;
            }

            if (attempt == 0)
            {
                WaitingForTopics(_logger, string.Join(',', missing));
            }

            await Task.Delay(TopicWaitInterval, stoppingToken);
        }
    }

    // Runtime exception messages name settings and Kafka errors, never record contents.
    [LoggerMessage(LogEventIds.PipelineFailed, LogLevel.Critical, "Pipeline stopped: {ExceptionType}: {Message}")]
    private static partial void Failed(ILogger logger, string exceptionType, string message);

    [LoggerMessage(LogEventIds.StartFailed, LogLevel.Critical, "{Message}")]
    private static partial void StartFailed(ILogger logger, string message);

    [LoggerMessage(LogEventIds.EndpointsListening, LogLevel.Information, "HTTP endpoints listening on {Address} (/metrics, /healthz, /readyz, /privacy)")]
    private static partial void EndpointsListening(ILogger logger, string address);

    [LoggerMessage(LogEventIds.WaitingForTopics, LogLevel.Warning, "Waiting for input topics {Topics} (StreamMasking:Pipeline:WaitForInputTopics); not ready")]
    private static partial void WaitingForTopics(ILogger logger, string topics);
}

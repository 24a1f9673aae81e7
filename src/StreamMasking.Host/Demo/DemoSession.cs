using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Embedded;
using StreamMasking.Runtime.Pipeline;

namespace StreamMasking.Host.Demo;

/// <summary>
/// The first-run experience: embedded broker, synthetic generator, the sample policy, the pipeline, and a live (or
/// headless) view. Stops on Ctrl-C or after the requested duration, drains what was generated, then shuts down.
/// </summary>
internal static class DemoSession
{
    internal static async Task<int> RunAsync(DemoSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var loaded = PolicyLoader.LoadFile(settings.PolicyFile);
        if (!loaded.IsValid || loaded.Policy is null)
        {
            foreach (var d in loaded.Diagnostics)
            {
                await error.WriteLineAsync(d.ToString());
            }

            return 2;
        }

        var policy = loaded.Policy;
        var time = TimeProvider.System;
        using var loggerFactory = LoggerFactory.Create(b => b
            .SetMinimumLevel(settings.Headless ? LogLevel.Warning : LogLevel.Error)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddSimpleConsole(o => o.SingleLine = true));
        await output.WriteLineAsync("Starting the embedded local broker...");
        await using var broker = await EmbeddedBroker.StartAsync(new EmbeddedBrokerOptions(), loggerFactory, cancellationToken);
        var options = DemoOptions(broker.BootstrapServers, settings.PolicyFile);

        // The demo makes up its own tokenization secret; the service requires one to be configured.
        using var pipeline = MaskingPipeline.Create(options, policy, RandomNumberGenerator.GetBytes(32), loggerFactory, time);
        await pipeline.ProvisionTopicsAsync(cancellationToken);
        options.Topics.Provision = false;
        await output.WriteLineAsync($"Broker {broker.BootstrapServers}; policy {policy.SourceName} v{policy.Version}; "
                                    + $"{policy.Segments.Count} segments; inputs {string.Join(", ", options.Pipeline.InputTopics)}");

        using var stopViews = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.Duration is { } duration)
        {
            stopViews.CancelAfter(duration);
        }

        using var stopPipeline = new CancellationTokenSource();
        using var stopReader = new CancellationTokenSource();
        using var generator = new DemoGenerator(broker.BootstrapServers, time);
        var reader = new MaskedSampleReader(broker.BootstrapServers, policy.Segments.Select(s => s.MaskedTopic).Distinct().ToList());
        var state = new DemoState(policy, generator, pipeline.Counters, reader, time);

        var pipelineTask = pipeline.RunAsync(stopPipeline.Token);
        // A pipeline that stops on its own ends the demo too.
        _ = pipelineTask.ContinueWith(_ => stopViews.Cancel(), TaskScheduler.Default);
        var generatorTask = generator.RunAsync(settings.EventsPerSecond, stopViews.Token);
        var readerTask = reader.RunAsync(stopReader.Token);

        if (settings.Headless)
        {
            await HeadlessReporter.RunAsync(state, output, stopViews.Token);
        }
        else
        {
            await LiveDashboard.RunAsync(state, stopViews.Token);
        }

        await generatorTask;
        await DrainAsync(state, pipelineTask, time);
        await stopPipeline.CancelAsync();
        var exitCode = 0;
        try
        {
            await pipelineTask;
        }
        catch (StageStoppedException e)
        {
            await error.WriteLineAsync("Pipeline stopped: " + e.Message);
            exitCode = 1;
        }

        await CatchUpAsync(reader, pipeline.Counters.Snapshot().Published, time);
        await stopReader.CancelAsync();
        await readerTask;
        await output.WriteLineAsync("Demo finished. " + HeadlessReporter.Summary(state));
        if (settings.Headless)
        {
            foreach (var (segment, (visible, latest)) in reader.Snapshot().OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                await output.WriteLineAsync($"masked [{segment}] visible={visible} latest {latest}");
            }
        }

        return exitCode;
    }

    /// <summary>Waits (bounded) until every generated record is consumed and nothing is between the stages.</summary>
    private static async Task DrainAsync(DemoState state, Task pipelineTask, TimeProvider time)
    {
        var started = time.GetTimestamp();
        while (!pipelineTask.IsCompleted && time.GetElapsedTime(started) < TimeSpan.FromSeconds(15))
        {
            var s = state.Counters.Snapshot();
            if (s.Consumed >= state.Generator.Produced && s.InFlight == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
        }
    }

    /// <summary>Lets the downstream view read every published record (bounded) so the final numbers agree.</summary>
    private static async Task CatchUpAsync(MaskedSampleReader reader, long published, TimeProvider time)
    {
        var started = time.GetTimestamp();
        while (reader.Snapshot().Values.Sum(v => v.Visible) < published && time.GetElapsedTime(started) < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
        }
    }

    private static StreamMaskingOptions DemoOptions(string bootstrapServers, string policyFile) => new()
    {
        Kafka = { BootstrapServers = bootstrapServers, ClientIdPrefix = "streammasking.demo" },
        Pipeline =
        {
            InputTopics = [SyntheticEvents.VisitsTopic, SyntheticEvents.PaymentsTopic],
            ConsumerGroupId = "streammasking.demo",
            TransactionalIdPrefix = "streammasking.demo",
            InstanceId = "demo",
            BatchMaxInterval = TimeSpan.FromMilliseconds(250),
        },
        Topics = { Partitions = 3, ProvisionInputTopics = true },
        Policy = { File = policyFile },
    };
}

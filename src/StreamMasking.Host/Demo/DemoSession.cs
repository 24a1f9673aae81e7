using System.Security.Cryptography;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Policy;
using StreamMasking.Host.Embedded;
using StreamMasking.Host.Service;
using StreamMasking.Host.Service.Http;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Hosting;
using StreamMasking.Runtime.Metrics;
using StreamMasking.Runtime.Processing;

namespace StreamMasking.Host.Demo;

/// <summary>
/// The first-run experience: embedded broker, synthetic generator, the sample policy, the pipeline, and a live (or
/// headless) view of masked records and of the differentially private window releases. Stops on Ctrl-C or after the
/// requested duration, drains what was generated, then shuts down. Window state lives in a fresh temporary directory
/// per run, deleted at the end (the broker is fresh too, so nothing could be restored from it).
/// </summary>
internal static class DemoSession
{
    internal static async Task<int> RunAsync(DemoSettings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var stateDirectory = Directory.CreateTempSubdirectory("streammasking-demo-state-").FullName;
        try
        {
            return await RunAsync(settings, stateDirectory, output, error, cancellationToken);
        }
        finally
        {
            // The pipeline (and its state stores) is disposed by now.
            DeleteQuietly(stateDirectory);
        }
    }

    private static async Task<int> RunAsync(DemoSettings settings, string stateDirectory, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
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
        var options = DemoOptions(broker.BootstrapServers, settings.PolicyFile, stateDirectory);
        DemoAvroInput? avro = null;
        if (settings.AvroInput)
        {
            avro = DemoAvroInput.Load();
            options.SchemaRegistry.LocalSchemaDirectory = avro.Directory;
            foreach (var topic in options.Pipeline.InputTopics)
            {
                options.Pipeline.InputFormats[topic] = "avro-single-object";
            }
        }

        // The demo makes up its own tokenization secret; the service requires one to be configured.
        var metrics = new PipelineMetrics(options.Metrics, time);
        metrics.PolicyLoaded(policy, PolicyHash.Of(settings.PolicyFile));
        using var pipeline = MaskingPipeline.Create(options, policy, RandomNumberGenerator.GetBytes(32), loggerFactory, time, metrics);
        StatusServer endpoints;
        try
        {
            endpoints = await StatusServer.StartAsync(new HttpOptions { Port = settings.HttpPort }, metrics, policy, time, cancellationToken);
        }
        catch (StreamMaskingConfigurationException e)
        {
            await error.WriteLineAsync($"{e.Message} (demo: --http-port)");
            return 2;
        }

        await using var endpointsScope = endpoints;
        await pipeline.ProvisionTopicsAsync(cancellationToken);
        // The views subscribe to the aggregates and audit topics before the pipeline's first release creates them.
        await EnsureTopicsAsync(broker.BootstrapServers, [options.Aggregates.Topic, options.Audit.Topic], options.Topics.Partitions);
        options.Topics.Provision = false;
        await output.WriteLineAsync($"Broker {broker.BootstrapServers}; policy {policy.SourceName} v{policy.Version}; "
                                    + $"{policy.Segments.Count} segments; inputs {string.Join(", ", options.Pipeline.InputTopics)}");
        await output.WriteLineAsync($"Endpoints: {endpoints.Address}/metrics /healthz /readyz /privacy");
        if (avro is not null && settings.Headless)
        {
            await WriteMaskedSchemasAsync(avro, policy, output);
        }

        using var stopViews = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.Duration is { } duration)
        {
            stopViews.CancelAfter(duration);
        }

        using var stopPipeline = new CancellationTokenSource();
        using var stopReader = new CancellationTokenSource();
        using var generator = new DemoGenerator(broker.BootstrapServers, time, avro is null ? null : avro.Encode);
        var reader = new MaskedSampleReader(broker.BootstrapServers, policy.Segments.Select(s => s.MaskedTopic).Distinct().ToList());
        var releases = new ReleaseReader(broker.BootstrapServers, options.Aggregates.Topic, options.Audit.Topic);
        var state = new DemoState(policy, generator, pipeline.Counters, reader, releases, time);

        var pipelineTask = pipeline.RunAsync(stopPipeline.Token);
        // A pipeline that stops on its own ends the demo too.
        _ = pipelineTask.ContinueWith(_ => stopViews.Cancel(), TaskScheduler.Default);
        var generatorTask = generator.RunAsync(settings.EventsPerSecond, stopViews.Token);
        var readerTask = reader.RunAsync(stopReader.Token);
        var releasesTask = releases.RunAsync(stopReader.Token);

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

        var final = pipeline.Counters.Snapshot();
        await CatchUpAsync(() => reader.Snapshot().Values.Sum(v => v.Visible) >= final.Published && releases.Releases >= final.Releases, time);
        await stopReader.CancelAsync();
        await readerTask;
        await releasesTask;
        await output.WriteLineAsync("Demo finished. " + HeadlessReporter.Summary(state));
        if (settings.Headless)
        {
            await HeadlessReporter.ReportReleasesAsync(state, output);
            foreach (var (segment, (visible, latest)) in reader.Snapshot().OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                await output.WriteLineAsync($"masked [{segment}] visible={visible} latest {latest}");
            }

            foreach (var line in HeadlessReporter.FinalLines(state))
            {
                await output.WriteLineAsync(line);
            }
        }
        else if (avro is not null)
        {
            // The live view owned the screen until now.
            await WriteMaskedSchemasAsync(avro, policy, output);
        }

        return exitCode;
    }

    /// <summary>The Avro input schemas and, per segment, the schema its masked records have (derived from both).</summary>
    private static async Task WriteMaskedSchemasAsync(DemoAvroInput avro, PrivacyPolicy policy, TextWriter output)
    {
        foreach (var (topic, schema) in avro.Schemas.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"input [{topic}] Avro single-object, writer schema {schema.Fullname}");
        }

        foreach (var (segment, topic, masked) in avro.MaskedSchemas(policy))
        {
            await output.WriteLineAsync($"masked schema [{segment.Name}] from {topic}: {masked.Schema.Fullname}, "
                                        + $"{masked.UnnamedFields.Count} writer fields not named (dropped): {string.Join(", ", masked.UnnamedFields)}");
            await output.WriteLineAsync(masked.Json);
        }
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

    /// <summary>Lets the downstream views read every published record and release (bounded) so the final numbers agree.</summary>
    private static async Task CatchUpAsync(Func<bool> caughtUp, TimeProvider time)
    {
        var started = time.GetTimestamp();
        while (!caughtUp() && time.GetElapsedTime(started) < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
        }
    }

    /// <summary>Creates the topics if they do not exist yet; existing ones are left as they are.</summary>
    private static async Task EnsureTopicsAsync(string bootstrapServers, IEnumerable<string> topics, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers })
            .SetLogHandler(static (_, _) => { }).Build();
        var specs = topics.Distinct(StringComparer.Ordinal)
            .Select(t => new TopicSpecification { Name = t, NumPartitions = partitions, ReplicationFactor = -1 })
            .ToList();
        try
        {
            await admin.CreateTopicsAsync(specs);
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
            // Already there (the pipeline provisions them as well).
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Temporary space; the OS reclaims it.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    private static StreamMaskingOptions DemoOptions(string bootstrapServers, string policyFile, string stateDirectory) => new()
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
        // A quick timer: the demo's 5-second windows close and release promptly.
        State = { Directory = stateDirectory, TickInterval = TimeSpan.FromMilliseconds(500) },
    };
}

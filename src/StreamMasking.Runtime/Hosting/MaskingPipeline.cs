using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Masking;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Segmentation;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Audit.Events;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.DeadLetters;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Metrics;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Serialization;
using StreamMasking.Runtime.Stages;
using StreamMasking.Runtime.State;
using StreamMasking.Runtime.Topics;
using StreamMasking.Runtime.Windowing;

namespace StreamMasking.Runtime.Hosting;

/// <summary>
/// The masking pipeline of one instance: stage "route" (input → repartition topic keyed by segment) and stage
/// "mask" (repartition topic → masked topic per segment), each <see cref="PipelineOptions.StreamThreads"/>
/// exactly-once transactional loops, each on its own thread with its own consumer (a member of the stage's group),
/// transactional producer and processors. With <see cref="PipelineOptions.InputKeyedBySegment"/> only stage "mask"
/// runs, on the input topics.
/// </summary>
/// <remarks>
/// What the loops of one instance share is immutable or thread-safe: the policy, router, masker (per-thread HMAC
/// instances), decoders, schema caches, dead-letter and audit factories, counters and metrics. What is per loop: the
/// processors with their transaction state, the windowing stage (state cache, store manager and changelog reader of
/// the loop's partitions; the noise key), the timestamp-ordering buffer and the repartition purger. Two mask threads
/// own disjoint partitions; a partition moving between them in a rebalance is revoked (its store checkpointed and
/// closed) by the old thread before the new one opens it, waiting for the store directory's lock if it must, and
/// restores exactly as it would on another instance.
/// </remarks>
public sealed class MaskingPipeline : IDisposable
{
    private readonly TokenKeyring _keyring;
    private readonly SchemaTagPlans _tagPlans;
    private readonly RecordMasker _masker;
    private readonly StreamMaskingOptions _options;
    private readonly PrivacyPolicy _policy;
    private readonly IKafkaClientFactory _clients;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<(StageSettings Settings, IRecordProcessor Processor)> _stages;
    private readonly TimeProvider _time;
    private readonly List<WindowedSegments> _windowing = [];
    private readonly TransactionSummaryAuditor _auditor;
    private readonly CatchUpSignal _catchUp;

    internal MaskingPipeline(StreamMaskingOptions options, PrivacyPolicy policy, ReadOnlySpan<byte> masterSecret,
        IKafkaClientFactory clients, ILoggerFactory loggerFactory, TimeProvider time,
        Func<string, IRecordProcessor, IRecordProcessor>? decorate = null, Action<string>? faultPoint = null)
    {
        _options = options;
        _policy = policy;
        _clients = clients;
        _loggerFactory = loggerFactory;
        _time = time;
        // Create reports these with every other bad setting; the guard is for the callers that construct directly.
        List<OptionsError> policyErrors = [.. PolicyOptionsValidator.Validate(options, policy), .. PolicyAuditErrors(policy)];
        if (policyErrors.Count > 0)
        {
            throw new StreamMaskingConfigurationException(policyErrors);
        }

        _logger = loggerFactory.CreateLogger<MaskingPipeline>();
        decorate ??= static (_, p) => p;

        var router = new SegmentRouter(policy);
        var deadLetters = new DeadLetterFactory(options.DeadLetters, policy.Version, time, loggerFactory.CreateLogger<DeadLetterFactory>());
        _keyring = new TokenKeyring(masterSecret);
        _masker = new RecordMasker(policy, _keyring);
        var masker = _masker;
        var p = options.Pipeline;
        var decoder = InputDecoder.Create(options, p.RetryBackoff, loggerFactory.CreateLogger<InputDecoder>());
        _tagPlans = new SchemaTagPlans(policy, masker, _keyring, loggerFactory.CreateLogger<SchemaTagPlans>());
        MaskedAvroWriter? avroWriter = null;
        if (policy.Segments.Any(s => s.Output == OutputFormat.Avro))
        {
            avroWriter = MaskedAvroWriter.Create(options, p.RetryBackoff, policy.Version, loggerFactory.CreateLogger<MaskedAvroWriter>());
        }

        var stages = new List<(StageSettings, IRecordProcessor)>();
        if (!p.InputKeyedBySegment)
        {
            for (var thread = 0; thread < p.StreamThreads; thread++)
            {
                stages.Add((Settings(RouteProcessor.StageName, p.InputTopics, isEntry: true, thread),
                    decorate(RouteProcessor.StageName, new RouteProcessor(router, deadLetters, p.RepartitionTopic, decoder))));
            }
        }

        var maskInputs = p.InputKeyedBySegment ? p.InputTopics : [p.RepartitionTopic];
        var maskLoops = Enumerable.Range(0, p.StreamThreads)
            .Select(thread => Settings(MaskProcessor.StageName, maskInputs, isEntry: p.InputKeyedBySegment, thread)).ToList();
        // Idle time counts only while every loop of every stage of this instance has read all its input.
        _catchUp = new CatchUpSignal(stages.Select(s => s.Item1.LoopName).Concat(maskLoops.Select(s => s.LoopName)));
        var outputs = OutputEncoder.Create(options, loggerFactory.CreateLogger<OutputEncoder>());
        var audit = new AuditEventWriter(options.Audit.Topic, p.InstanceId, time, outputs.Audit);
        _auditor = new TransactionSummaryAuditor(audit);
        var windowed = WindowedSegment.From(policy, masterSecret);
        var storeOptions = windowed.Count == 0 ? null : StateStoreOptionsMapping.From(options);
        foreach (var settings in maskLoops)
        {
            WindowedSegments? windowing = null;
            if (storeOptions is not null)
            {
                windowing = new WindowedSegments(windowed, storeOptions, maskInputs[0], masterSecret, outputs.Aggregates, audit,
                    policy, clients, p.OperationTimeout, options.State.TickInterval, Counters, time,
                    loggerFactory.CreateLogger<WindowedSegments>(), faultPoint, _catchUp, [.. options.State.StartNewContinualCounters]);
                _windowing.Add(windowing);
            }

            stages.Add((settings, decorate(MaskProcessor.StageName, new MaskProcessor(policy, router, masker, deadLetters,
                trustSourceHeaders: !p.InputKeyedBySegment, loggerFactory.CreateLogger<MaskProcessor>(), audit, windowing, decoder,
                avroWriter, _tagPlans, auditsPolicy: settings.Thread == 0))));
        }

        _stages = stages;
    }

    /// <summary>Counters of committed records (records in/out per segment, dead letters, accounting invariant).</summary>
    public PipelineCounters Counters { get; } = new();

    /// <summary>The policy this pipeline masks with.</summary>
    public PrivacyPolicy Policy => _policy;

    /// <summary>Names of the stages that run ("route", "mask").</summary>
    public IReadOnlyList<string> StageNames => _stages.Select(s => s.Settings.Name).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The settings of every loop: each stage's stream threads, in order.</summary>
    internal IReadOnlyList<StageSettings> Loops => _stages.Select(s => s.Settings).ToList();

    /// <summary>
    /// The segments too large for stage mask's policy-loaded audit record even in a part of their own: the broker would
    /// refuse it (MsgSizeTooLarge) and the stage could never start, so the policy is refused at start instead. (Not in
    /// <see cref="PolicyOptionsValidator"/>: options validation knows nothing of the audit event's layout.)
    /// </summary>
    private static IEnumerable<OptionsError> PolicyAuditErrors(PrivacyPolicy policy) =>
        PolicyLoadedEvent.OversizedSegments(policy, MaskProcessor.StageName).Select(o => new OptionsError(
            $"{policy.SourceName}: segments.{o.Segment.Name}",
            $"its description in the policy-loaded audit event is {o.Bytes} bytes, more than the {PolicyLoadedEvent.MaxPartBytes} one audit record may hold (declare fewer aggregates or shorter names)"));

    /// <summary>
    /// Creates a pipeline after validating the options (including the librdkafka pass-through properties).
    /// Throws <see cref="StreamMaskingConfigurationException"/> naming every bad key. With <paramref name="metrics"/>,
    /// every pipeline event feeds it.
    /// </summary>
    public static MaskingPipeline Create(StreamMaskingOptions options, PrivacyPolicy policy, ReadOnlySpan<byte> masterSecret,
        ILoggerFactory loggerFactory, TimeProvider? timeProvider = null, PipelineMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        List<OptionsError> errors =
            [.. StreamMaskingOptionsValidator.ValidateForStart(options, policy, requireBootstrapServers: true), .. PolicyAuditErrors(policy)];
        if (errors.Count > 0)
        {
            throw new StreamMaskingConfigurationException(errors);
        }

        var clients = new KafkaClientFactory(options.Kafka, loggerFactory.CreateLogger("StreamMasking.Kafka"));
        var pipeline = new MaskingPipeline(options, policy, masterSecret, clients, loggerFactory, timeProvider ?? TimeProvider.System);
        if (metrics is not null)
        {
            pipeline.Counters.Observer = metrics;
            metrics.RegisterStages(pipeline.StageNames);
        }

        return pipeline;
    }

    /// <summary>
    /// Creates the masked topics, the repartition, dead-letter, aggregates and audit topics, the state changelog
    /// (compacted) when the policy declares windows, and, when configured, the input topics, if missing.
    /// </summary>
    public async Task ProvisionTopicsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var t = _options.Topics;
        var specs = new List<TopicSpecification>();
        foreach (var segment in _policy.Segments)
        {
            specs.Add(TopicProvisioner.Spec(segment.MaskedTopic, t.Partitions, t.ReplicationFactor));
        }

        if (!_options.Pipeline.InputKeyedBySegment)
        {
            specs.Add(TopicProvisioner.Spec(_options.Pipeline.RepartitionTopic, t.Partitions, t.ReplicationFactor,
                TopicProvisioner.RepartitionConfigs(t.RepartitionRetention, t.RepartitionRetentionBytes)));
        }

        specs.Add(TopicProvisioner.Spec(_options.DeadLetters.Topic, t.Partitions, t.ReplicationFactor));
        specs.Add(TopicProvisioner.Spec(_options.Aggregates.Topic, t.Partitions, t.ReplicationFactor));
        specs.Add(TopicProvisioner.Spec(_options.Audit.Topic, t.Partitions, t.ReplicationFactor));
        if (t.ProvisionInputTopics)
        {
            specs.AddRange(_options.Pipeline.InputTopics.Select(name => TopicProvisioner.Spec(name, t.Partitions, t.ReplicationFactor)));
        }
        var provisioner = new TopicProvisioner(_clients, _loggerFactory.CreateLogger<TopicProvisioner>());
        await provisioner.EnsureAsync(specs, _options.Pipeline.OperationTimeout);
        if (_windowing.Count > 0)
        {
            // Compacted, one partition per input partition (changelog partition = input partition).
            using var admin = _clients.CreateAdminClient("provision-state");
            await ChangelogTopicProvisioner.EnsureAsync(admin, [_windowing[0].ChangelogTopic], t.Partitions,
                t.ReplicationFactor, _options.Pipeline.OperationTimeout);
        }
    }

    /// <summary>
    /// Provisions topics (when configured) and runs every stage until <paramref name="cancellationToken"/> is
    /// cancelled, then commits or aborts open transactions and returns. If one loop stops (fatal error, fenced),
    /// the others (of every stage and thread) are stopped too and the loop's <see cref="StageStoppedException"/> is
    /// thrown.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_options.Topics.Provision)
        {
            await ProvisionTopicsAsync(cancellationToken);
        }

        _logger.PipelineStarted(_policy.SourceName, _policy.Version, _policy.Segments.Count, string.Join(',', StageNames));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loopLogger = _loggerFactory.CreateLogger<TransactionalLoop>();
        // Stage "mask" purges the repartition topic behind its commits; input topics are never purged. One purger per
        // mask loop: each deletes below the offsets its own transactions committed, where a partition's next owner
        // (another thread or instance) starts or has gone past.
        var purgers = _stages.Select(s => _options.Pipeline.InputKeyedBySegment || s.Settings.Name != MaskProcessor.StageName ? null
            : new RepartitionPurger(_clients, _options.Pipeline.RepartitionTopic, _options.Pipeline.RepartitionPurgeInterval,
                _options.Pipeline.OperationTimeout, _time, _loggerFactory.CreateLogger<RepartitionPurger>())).ToList();
        try
        {
            _catchUp.Reset();
            var running = _stages
                .Select((s, i) => new TransactionalLoop(s.Settings, _clients, s.Processor, Counters, loopLogger, _time, _auditor,
                    purgers[i], _catchUp, OrderingFor(s.Settings.Name)).RunAsync(stop.Token))
                .ToList();
            await WhenAllStoppingOnFirstFailureAsync(running, stop);
        }
        finally
        {
            purgers.ForEach(p => p?.Dispose());
        }
    }

    // Waits for every loop; the first to fail stops all the others, and its failure is what the run throws.
    private static async Task WhenAllStoppingOnFirstFailureAsync(List<Task> running, CancellationTokenSource stop)
    {
        var pending = running.ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (done.IsFaulted)
            {
                await stop.CancelAsync();
                break;
            }
        }

        try
        {
            await Task.WhenAll(running);
        }
        catch (Exception) when (running.Any(t => t.IsFaulted))
        {
            var stopped = running.Where(t => t.IsFaulted).Select(t => t.Exception!.GetBaseException()).First();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(stopped).Throw();
        }
    }

    /// <summary>Releases the masker and erases the derived tokenization keys.</summary>
    public void Dispose()
    {
        _windowing.ForEach(w => w.Dispose());
        _tagPlans.Dispose();
        _masker.Dispose();
        _keyring.Dispose();
    }

    // Stage "route" merges its source partitions in timestamp order, so a backlog reaches the segments' watermarks
    // in event-time order. Stage "mask" needs no merge: each segment lives on one of its input partitions.
    private TimestampOrderedBuffer? OrderingFor(string stage) => stage == RouteProcessor.StageName
        ? new TimestampOrderedBuffer(_options.Pipeline.InputBufferMaxBytes, maxWait: _options.Pipeline.MaxTaskIdle, _time)
        : null;

    // Thread 0 keeps the ids a single-thread instance always had, so after an upgrade it resumes its static
    // membership and its InitTransactions fences (and aborts) what the previous version left open; thread t ≥ 1
    // appends ".t".
    private StageSettings Settings(string stage, IReadOnlyList<string> inputs, bool isEntry, int thread)
    {
        var p = _options.Pipeline;
        var suffix = thread == 0 ? "" : $".{thread}";
        return new StageSettings(
            Name: stage,
            InputTopics: inputs,
            GroupId: $"{p.ConsumerGroupId}.{stage}",
            // Static membership from the instance id (stable across restarts, a StatefulSet pod name): a restart
            // resumes its partitions without a rebalance and without waiting for the old session to expire.
            GroupInstanceId: $"{p.ConsumerGroupId}.{stage}.{p.InstanceId}{suffix}",
            // One transactional id per stage, instance and thread (KIP-447): zombies are fenced by the group generation
            // carried in the consumer group metadata, so ids need not be tied to partitions.
            TransactionalId: $"{p.TransactionalIdPrefix}.{stage}.{p.InstanceId}{suffix}",
            IsEntryStage: isEntry,
            BatchMaxRecords: p.BatchMaxRecords,
            BatchMaxInterval: p.BatchMaxInterval,
            ConsumeTimeout: p.ConsumeTimeout,
            TransactionTimeout: p.TransactionTimeout,
            OperationTimeout: p.OperationTimeout,
            RetryBackoff: p.RetryBackoff,
            Thread: thread);
    }
}

using System.Collections.Concurrent;
using System.Reflection;
using Prometheus;
using StreamMasking.Core.DeadLetters;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Metrics;

/// <summary>
/// Every Prometheus metric of the service (names in docs/operations.md), in its own registry with the process and
/// .NET runtime metrics. Fed by the pipeline through <see cref="IPipelineObserver"/>; records count only once their
/// transaction committed. Labels are bounded: stage, reason codes (closed sets), store, topic (configured), and a
/// capped segment label. Also answers liveness, readiness and the live budget state for the HTTP endpoints.
/// </summary>
public sealed partial class PipelineMetrics
{
    private static readonly double[] LatencyBuckets = Histogram.ExponentialBuckets(0.001, 2, 18);
    private static readonly double[] EndToEndBuckets = Histogram.ExponentialBuckets(0.005, 2, 20);
    private static readonly string[] DroppedReasons = ["late_record", "unit_cap_exceeded", "already_processed"];
    // Every reason a suppression is counted under, so each has a zero series from the start (rate() and increase()
    // then see the first one); derived from the reasons themselves, so a new reason cannot be left out.
    private static readonly IReadOnlyList<string> SuppressionReasons = AuditCodes.SuppressionCodes;

    private readonly TimeProvider _time;
    private readonly SegmentLabels _segments;
    private readonly ConcurrentDictionary<string, StageState> _stages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Store, int Partition), (long End, long Remaining)> _restoring = new();
    private readonly ConcurrentDictionary<string, string[]> _missingTopics = new(StringComparer.Ordinal);
    private readonly Counter _consumed, _published, _deadLettered, _dropped, _committed, _aborted, _rebalances;
    private readonly Counter _restoredRecords, _sealed, _released, _suppressed, _late, _unitsExhausted, _unnamedFields, _auditFailures, _policyFailures;
    private readonly Histogram _processing, _endToEnd, _commit, _storeOperations;
    private readonly Gauge _lagRecords, _lagSeconds, _assigned, _restoreRemaining, _restoreDuration, _progress;
    private readonly Gauge _policyInfo, _buildInfo, _ready, _up, _inputMissing;
    private volatile bool _policyLoaded;
    private volatile bool _stopped;

    /// <summary>Creates the metrics in a fresh registry (process and .NET metrics included).</summary>
    public PipelineMetrics(MetricsOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        _segments = new SegmentLabels(options.MaxSegmentLabels);
        Registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        _consumed = NewCounter(f, "records_consumed_total", "Records consumed in committed transactions.", "stage");
        _published = NewCounter(f, "records_published_total", "Records published (masked topics, repartition topic).", "stage", "segment");
        _deadLettered = NewCounter(f, "records_dead_lettered_total", "Records written to the dead-letter topic.", "stage", "reason");
        _dropped = NewCounter(f, "records_dropped_total", "Records deliberately dropped.", "stage", "reason");
        _committed = NewCounter(f, "transactions_committed_total", "Transactions committed.", "stage");
        _aborted = NewCounter(f, "transactions_aborted_total", "Transactions aborted.", "stage");
        _rebalances = NewCounter(f, "rebalances_total", "Rebalance callbacks by kind.", "stage", "kind");
        _restoredRecords = NewCounter(f, "state_restore_records_total", "Changelog records replayed into state stores.", "store");
        _sealed = NewCounter(f, "windows_sealed_total", "Windows sealed.", "segment");
        _released = NewCounter(f, "windows_released_total", "Aggregate releases.", "segment");
        _suppressed = NewCounter(f, "releases_suppressed_total", "Releases suppressed, by reason.", "segment", "reason");
        _late = NewCounter(f, "late_records_total", "Records that arrived for a closed window.", "segment");
        _unitsExhausted = NewCounter(f, "unit_lifetime_exhausted_total",
            "Privacy units that spent their lifetime cap for event-level noise (their later events go out without noised fields).", "segment");
        _unnamedFields = NewCounter(f, "schema_unnamed_fields_total",
            "Fields of Avro writer schemas that a segment's rules do not name (dropped from its masked records), counted once per (segment, writer schema) when first seen.", "segment");
        _auditFailures = NewCounter(f, "audit_publish_failures_total", "Audit events that could not be written (their transaction aborted).");
        _policyFailures = NewCounter(f, "policy_load_failures_total", "Policy files that failed to load.");
        _processing = NewHistogram(f, "processing_duration_seconds", "Processing time per record.", LatencyBuckets, "stage");
        _endToEnd = NewHistogram(f, "end_to_end_latency_seconds", "Record timestamp to commit.", EndToEndBuckets, "stage", "clock");
        _commit = NewHistogram(f, "transaction_commit_duration_seconds", "Commit latency (offsets and commit).", LatencyBuckets, "stage");
        _storeOperations = NewHistogram(f, "state_store_operation_duration_seconds", "State store operation latency.", LatencyBuckets, "store", "operation");
        _lagRecords = NewGauge(f, "consumer_lag_records", "Consumer lag summed over assigned partitions.", "stage", "topic");
        _lagSeconds = NewGauge(f, "consumer_lag_seconds", "Estimated age of the oldest unconsumed record (0 when caught up).", "stage");
        _assigned = NewGauge(f, "assigned_partitions", "Partitions assigned.", "stage");
        _restoreRemaining = NewGauge(f, "state_restore_remaining_records", "Changelog records still to restore (0 when done).", "store");
        _restoreDuration = NewGauge(f, "state_restore_duration_seconds", "Duration of the last restore.", "store");
        _progress = NewGauge(f, "poll_loop_last_progress_timestamp_seconds", "Unix time of the last poll-loop progress.", "stage");
        _policyInfo = NewGauge(f, "policy_info", "The loaded policy (value 1).", "version", "content_hash");
        _buildInfo = NewGauge(f, "build_info", "The running build (value 1).", "version");
        _ready = NewGauge(f, "ready", "1 when /readyz answers 200.");
        _up = NewGauge(f, "up", "1 while the process runs.");
        _inputMissing = NewGauge(f, "input_topic_missing", "1 while a configured input topic does not exist (waiting for it).", "topic");
        CreateBudgetGauges(f);
        _buildInfo.WithLabels(BuildVersion).Set(1);
        _up.Set(1);
        _auditFailures.Inc(0);
        _policyFailures.Inc(0);
        Registry.AddBeforeCollectCallback(BeforeCollect);
    }

    /// <summary>The registry holding every metric (exported by <c>/metrics</c>).</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>The informational version of this build.</summary>
    public static string BuildVersion { get; } =
        typeof(PipelineMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Writes the Prometheus text exposition.</summary>
    public Task ExportAsync(Stream destination, CancellationToken cancellationToken) =>
        Registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    /// <summary>The policy is loaded: its version and a content hash of its file become <c>streammasking_policy_info</c>.</summary>
    public void PolicyLoaded(PrivacyPolicy policy, string contentHash)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policyInfo.WithLabels(policy.Version, contentHash).Set(1);
        foreach (var segment in policy.Segments)
        {
            var label = _segments.For(segment.Name);
            _published.WithLabels(MaskProcessorStage, label).Inc(0);
            _unnamedFields.WithLabels(label).Inc(0);
            if (segment.Privacy.Window is not null)
            {
                _sealed.WithLabels(label).Inc(0);
                _released.WithLabels(label).Inc(0);
                _late.WithLabels(label).Inc(0);
                _unitsExhausted.WithLabels(label).Inc(0);
                foreach (var reason in SuppressionReasons)
                {
                    _suppressed.WithLabels(label, reason).Inc(0);
                }
            }
        }

        _policyLoaded = true;
    }

    /// <summary>A policy file could not be loaded.</summary>
    public void PolicyLoadFailed() => _policyFailures.Inc();

    /// <summary>Input topics that do not exist yet (empty when all do); readiness stays false while any is missing.</summary>
    public void InputTopicsMissing(IReadOnlyCollection<string> topics, IReadOnlyCollection<string> configured)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(configured);
        foreach (var topic in configured)
        {
            _inputMissing.WithLabels(topic).Set(topics.Contains(topic) ? 1 : 0);
        }

        _missingTopics["input"] = [.. topics];
    }

    /// <summary>The pipeline stopped (fatal error or shutdown): liveness and readiness fail from now on.</summary>
    public void PipelineStopped() => _stopped = true;

    /// <summary>Declares the stages that will run, so their series exist and liveness watches them from now.</summary>
    internal void RegisterStages(IEnumerable<string> stages)
    {
        var now = NowMs();
        foreach (var stage in stages)
        {
            _stages.TryAdd(stage, new StageState(now));
            _consumed.WithLabels(stage).Inc(0);
            _committed.WithLabels(stage).Inc(0);
            _aborted.WithLabels(stage).Inc(0);
            foreach (var kind in new[] { "assigned", "revoked", "lost" })
            {
                _rebalances.WithLabels(stage, kind).Inc(0);
            }

            foreach (var reason in Enum.GetValues<DeadLetterReason>())
            {
                _deadLettered.WithLabels(stage, reason.ToCode()).Inc(0);
            }

            foreach (var reason in DroppedReasons)
            {
                _dropped.WithLabels(stage, reason).Inc(0);
            }

            _assigned.WithLabels(stage).Set(0);
            _lagSeconds.WithLabels(stage).Set(0);
            _processing.WithLabels(stage);
            _commit.WithLabels(stage);
            _endToEnd.WithLabels(stage, "event_time");
            _endToEnd.WithLabels(stage, "append_time");
            _progress.WithLabels(stage).Set(now / 1000.0);
        }
    }

    private const string MaskProcessorStage = "mask";

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void BeforeCollect() => _ready.Set(Readiness().Ok ? 1 : 0);

    private static Counter NewCounter(MetricFactory f, string name, string help, params string[] labels) =>
        f.CreateCounter("streammasking_" + name, help, new CounterConfiguration { LabelNames = labels });

    private static Gauge NewGauge(MetricFactory f, string name, string help, params string[] labels) =>
        f.CreateGauge("streammasking_" + name, help, new GaugeConfiguration { LabelNames = labels });

    private static Histogram NewHistogram(MetricFactory f, string name, string help, double[] buckets, params string[] labels) =>
        f.CreateHistogram("streammasking_" + name, help, new HistogramConfiguration { LabelNames = labels, Buckets = buckets });
}

using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Windowing;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.Serialization;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// Differential privacy on the stream for the mask stage: tumbling event-time windows per segment, per-unit event
/// caps, and window releases paid from budget ledgers, all kept in a changelogged state store per input partition.
/// It wires four parts and drives them from the mask stage's callbacks: <see cref="WindowStateCache"/> (the
/// per-segment state and its store lifecycle), <see cref="RecordAdmission"/> (each record's fate),
/// <see cref="SealedWindowRelease"/> (seal → commit → release) and <see cref="ReleaseOutputs"/> (what a release sends).
/// </summary>
/// <remarks>
/// The order that makes releases replay-stable (docs/windows-and-budgets.md): records and timers seal windows into
/// the store; that transaction commits; the next transaction releases each committed sealed window (debit, emit to
/// the aggregates topic, audit, delete the seal) and commits ledger and outputs together. An abort anywhere drops the
/// in-memory state and reloads the committed state from the store, so a retry recomputes the same bytes from the same
/// seal and the reverted ledger charges them once. A replay of processed input is recognised by the per-source
/// high-water marks and deliberately dropped, so it neither re-aggregates nor re-publishes.
/// Single-threaded: every call comes from the mask stage's loop thread.
/// </remarks>
internal sealed class WindowedSegments : IDisposable
{
    /// <summary>Name of the state store (changelog <c>{applicationId}-dp-state-changelog</c>).</summary>
    internal const string StoreName = WindowStateCache.StoreName;

    private readonly Dictionary<string, WindowedSegment> _segments;
    private readonly WindowStateCache _cache;
    private readonly RecordAdmission _admission;
    private readonly SealedWindowRelease _release;
    private readonly TimeSpan _tickInterval;
    private readonly TimeProvider _time;
    private readonly CatchUpSignal? _catchUp;
    private readonly List<SealedWindow> _idleSealed = [];
    private long _lastTick;
    private bool _releasesPending;

    internal WindowedSegments(
        IReadOnlyList<WindowedSegment> segments,
        StateStoreOptions storeOptions,
        string sourceTopic,
        ReadOnlySpan<byte> masterSecret,
        OutputEncoder aggregates,
        AuditEventWriter audit,
        PrivacyPolicy policy,
        IKafkaClientFactory clients,
        TimeSpan operationTimeout,
        TimeSpan tickInterval,
        PipelineCounters counters,
        TimeProvider time,
        ILogger logger,
        Action<string>? faultPoint = null,
        CatchUpSignal? catchUp = null,
        IReadOnlyCollection<string>? startNewCounters = null)
    {
        storeOptions.Validate();
        _segments = segments.ToDictionary(s => s.Name, StringComparer.Ordinal);
        ChangelogTopic = storeOptions.ChangelogTopicFor(StoreName);
        var ownership = new OwnershipGuard(new StateOwnership(sourceTopic, ChangelogTopic, _segments.Keys.ToList()), ChangelogTopic,
            audit, clients, operationTimeout, logger);
        _cache = new WindowStateCache(_segments, storeOptions, sourceTopic, ownership, clients, operationTimeout, counters, time, logger);
        _admission = new RecordAdmission(audit, time, logger);
        var outputs = new ReleaseOutputs(aggregates, policy.Version, audit, counters, logger);
        _release = new SealedWindowRelease(StateKeys.WindowNoiseKey(masterSecret), outputs, startNewCounters ?? [], logger, faultPoint);
        _tickInterval = tickInterval;
        _time = time;
        _catchUp = catchUp;
        _lastTick = time.GetTimestamp();
    }

    /// <summary>The changelog topic of the store.</summary>
    internal string ChangelogTopic { get; }

    /// <summary>The windowed segment named <paramref name="segment"/>, or null when the segment keeps no window state.</summary>
    internal WindowedSegment? Find(string segment) => _segments.GetValueOrDefault(segment);

    internal bool PunctuationDue => _releasesPending || _time.GetElapsedTime(_lastTick) >= _tickInterval;

    internal void OnStarted(RecordCollector collector, CancellationToken stopping) => _cache.Start(collector, stopping);

    internal void OnStopped() => _cache.Stop();

    /// <summary>Closes the stores (checkpointing them) and erases the noise key.</summary>
    public void Dispose()
    {
        _cache.Dispose();
        _release.Dispose();
    }

    /// <summary>
    /// Restores the assigned partitions' state after checking that it is owned here (see <see cref="StateOwnership"/>):
    /// the input's partition count must be the one the state was kept for, and every segment's state must be on the
    /// partition its key maps to. A violation stops the stage (audited, one log line) before any record is read.
    /// </summary>
    internal void OnPartitionsAssigned(IReadOnlyList<TopicPartition> partitions) => _releasesPending |= _cache.Assign(partitions);

    internal void OnPartitionsRevoked(IReadOnlyList<TopicPartition> partitions) => _cache.Revoke(partitions);

    internal void OnPartitionsLost(IReadOnlyList<TopicPartition> partitions) => _cache.Lose(partitions);

    internal void OnCommitted()
    {
        _cache.Committed();
        _releasesPending |= _release.Committed(_cache.States.Select(s => s.State));
    }

    // The store now holds exactly the committed state: reload from it.
    internal void OnAborted() => _releasesPending |= _cache.Aborted();

    internal void BeforeCommit(IProcessorContext context) => _cache.Flush();

    /// <summary>Timer work: close idle windows, release committed sealed windows.</summary>
    internal void Punctuate(IProcessorContext context)
    {
        _lastTick = _time.GetTimestamp();
        // Idle time is only what passes while every stage of this instance has read all its input: an outage, a
        // restore or a backlog still being routed is never idleness. Without a signal nothing counts as idle.
        var caughtUp = _catchUp?.AllCaughtUp ?? false;
        foreach (var (partition, state) in _cache.States)
        {
            if (state.Engine is { } engine)
            {
                _idleSealed.Clear();
                if (engine.CloseIdle(_idleSealed, caughtUp) > 0)
                {
                    state.EngineDirty = true;
                    SealedWindowRelease.Seal(state, _idleSealed, context);
                }
            }

            if (state.Releasable.Count > 0)
            {
                _release.Release(partition, state, context);
            }
        }

        _releasesPending = false;
    }

    /// <summary>
    /// Feeds one record of a windowed segment to its partition's state and decides its fate on the masked stream
    /// (<see cref="RecordAdmission"/>).
    /// </summary>
    internal RecordVerdict Observe(int partition, WindowedSegment segment, JsonObject body, long timestampMs,
        SourceCoordinates source, IProcessorContext context) =>
        _admission.Admit(partition, _cache.StateOf(partition, segment), body, timestampMs, source, context);
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Core.Aggregation;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Policy.Dp;
using StreamMasking.Core.Windows;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.Audit;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Kafka;
using StreamMasking.Runtime.Ownership;
using StreamMasking.Runtime.Pipeline;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Windowing;

/// <summary>
/// Differential privacy on the stream for the mask stage: tumbling event-time windows per segment, per-unit event
/// caps, and window releases paid from budget ledgers, all kept in a changelogged state store per input partition.
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
internal sealed class WindowingStage : IDisposable
{
    /// <summary>Name of the state store (changelog <c>{applicationId}-dp-state-changelog</c>).</summary>
    internal const string StoreName = "dp-state";

    private static readonly byte[] JsonContentType = Encoding.UTF8.GetBytes("application/json");

    private readonly Dictionary<string, WindowedSegment> _segments;
    private readonly StateStoreOptions _storeOptions;
    private readonly string _sourceTopic;
    private readonly byte[] _noiseKey;
    private readonly string _aggregatesTopic;
    private readonly AuditEventFactory _audit;
    private readonly PrivacyPolicy _policy;
    private readonly byte[] _policyVersion;
    private readonly IKafkaClientFactory _clients;
    private readonly TimeSpan _operationTimeout;
    private readonly TimeSpan _tickInterval;
    private readonly PipelineCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<string>? _faultPoint;
    private readonly CatchUpSignal? _catchUp;
    private readonly HashSet<string> _startNewCounters;
    private readonly Dictionary<int, Dictionary<string, SegmentState>> _partitions = [];
    private readonly List<SealedWindow> _sealedScratch = [];
    private readonly StateOwnership _ownership;
    private readonly ExhaustedCaps _exhausted = new();
    private StateStoreManager? _manager;
    private StateStoreParticipant? _stores;
    private KafkaChangelogReader? _reader;
    private long _lastTick;
    private bool _releasesPending;

    internal WindowingStage(
        IReadOnlyList<WindowedSegment> segments,
        StateStoreOptions storeOptions,
        string sourceTopic,
        ReadOnlySpan<byte> masterSecret,
        string aggregatesTopic,
        AuditEventFactory audit,
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
        _storeOptions = storeOptions;
        _sourceTopic = sourceTopic;
        _noiseKey = StateKeys.WindowNoiseKey(masterSecret);
        _aggregatesTopic = aggregatesTopic;
        _audit = audit;
        _policy = policy;
        _policyVersion = Encoding.UTF8.GetBytes(policy.Version);
        _clients = clients;
        _operationTimeout = operationTimeout;
        _tickInterval = tickInterval;
        _counters = counters;
        _time = time;
        _logger = logger;
        _faultPoint = faultPoint;
        _catchUp = catchUp;
        _startNewCounters = new HashSet<string>(startNewCounters ?? [], StringComparer.Ordinal);
        _lastTick = time.GetTimestamp();
        _ownership = new StateOwnership(sourceTopic, ChangelogTopic, _segments.Keys.ToList());
    }

    /// <summary>The changelog topic of the store.</summary>
    internal string ChangelogTopic => _storeOptions.ChangelogTopicFor(StoreName);

    /// <summary>The windowed segment named <paramref name="segment"/>, or null when the segment keeps no window state.</summary>
    internal WindowedSegment? Find(string segment) => _segments.GetValueOrDefault(segment);

    internal bool PunctuationDue => _releasesPending || _time.GetElapsedTime(_lastTick) >= _tickInterval;

    internal void OnStarted(IProducer<byte[]?, byte[]?> producer, CancellationToken stopping)
    {
        _reader = new KafkaChangelogReader(_clients.BaseConsumerConfig("state-restore"), _operationTimeout);
        _manager = new StateStoreManager(_storeOptions, [StoreName], new ProducerChangelogSink(producer), _reader,
            _counters.RestoreObserver, _counters.Observer, _time, _logger);
        _stores = new StateStoreParticipant(_manager, _sourceTopic, stopping);
    }

    internal void OnStopped()
    {
        _partitions.Clear();
        _stores = null;
        _manager?.Dispose();
        _manager = null;
        _reader?.Dispose();
        _reader = null;
    }

    /// <summary>Closes the stores (checkpointing them) and erases the noise key.</summary>
    public void Dispose()
    {
        OnStopped();
        CryptographicOperations.ZeroMemory(_noiseKey);
    }

    /// <summary>
    /// Restores the assigned partitions' state after checking that it is owned here (see <see cref="StateOwnership"/>):
    /// the input's partition count must be the one the state was kept for, and every segment's state must be on the
    /// partition its key maps to. A violation stops the stage (audited, one log line) before any record is read.
    /// </summary>
    internal void OnPartitionsAssigned(IReadOnlyList<TopicPartition> partitions)
    {
        var ours = Ours(partitions);
        if (ours.Count > 0)
        {
            using var admin = _clients.CreateAdminClient("dp-ownership");
            var input = TopicLayout.PartitionCount(admin, _sourceTopic, _operationTimeout);
            var changelog = TopicLayout.PartitionCount(admin, ChangelogTopic, _operationTimeout);
            if (_ownership.CheckLayout(input, Math.Max(changelog, 0)) is { } layout)
            {
                throw Stop(layout);
            }
        }

        Stores.OnPartitionsAssigned(partitions);
        foreach (var partition in ours)
        {
            var store = Stores.Store(StoreName, partition);
            var withState = _segments.Values.Where(s => SegmentState.Exists(s, store)).Select(s => s.Name);
            if (_ownership.CheckStore(store, partition, withState) is { } violation)
            {
                throw Stop(violation);
            }

            _partitions[partition] = [];
            LoadExisting(partition);
        }
    }

    internal void OnPartitionsRevoked(IReadOnlyList<TopicPartition> partitions)
    {
        Forget(partitions);
        Stores.OnPartitionsRevoked(partitions);
    }

    internal void OnPartitionsLost(IReadOnlyList<TopicPartition> partitions)
    {
        Forget(partitions);
        Stores.OnPartitionsLost(partitions);
    }

    internal void OnCommitted()
    {
        Stores.OnCommitted();
        foreach (var state in AllStates())
        {
            if (state.SealedInTransaction.Count > 0)
            {
                state.Releasable.UnionWith(state.SealedInTransaction);
                state.SealedInTransaction.Clear();
                _releasesPending = true;
            }

            if (state.Ledger is { } ledger)
            {
                _counters.Observer?.OnLedgerCommitted(state.Segment.Name, ledger);
            }
        }
    }

    internal void OnAborted()
    {
        Stores.OnAborted();
        // The store now holds exactly the committed state: reload from it.
        foreach (var partition in _partitions.Keys.ToList())
        {
            _partitions[partition] = [];
            LoadExisting(partition);
        }
    }

    internal void BeforeCommit(IProcessorContext context)
    {
        foreach (var state in AllStates())
        {
            state.Flush();
        }
    }

    /// <summary>Timer work: close idle windows, release committed sealed windows.</summary>
    internal void Punctuate(IProcessorContext context)
    {
        _lastTick = _time.GetTimestamp();
        // Idle time is only what passes while every stage of this instance has read all its input: an outage, a
        // restore or a backlog still being routed is never idleness. Without a signal nothing counts as idle.
        var caughtUp = _catchUp?.AllCaughtUp ?? false;
        var sealedWindows = new List<SealedWindow>();
        foreach (var (partition, states) in _partitions)
        {
            foreach (var state in states.Values)
            {
                if (state.Engine is { } engine)
                {
                    sealedWindows.Clear();
                    if (engine.CloseIdle(sealedWindows, caughtUp) > 0)
                    {
                        state.EngineDirty = true;
                        Seal(state, sealedWindows, context);
                    }
                }

                if (state.Releasable.Count > 0)
                {
                    Release(partition, state, context);
                }
            }
        }

        _releasesPending = false;
    }

    /// <summary>
    /// Feeds one record of a windowed segment to its partition's state and decides its fate on the masked stream.
    /// Aggregation happens here too (an accepted record is counted in its window whatever the cap decides, since
    /// aggregates bound each unit's contributions themselves).
    /// </summary>
    internal RecordVerdict Observe(int partition, WindowedSegment segment, JsonObject body, long timestampMs,
        SourceCoordinates source, IProcessorContext context)
    {
        var state = StateOf(partition, segment);
        if (!state.TryAdvanceHighWater(source.Topic, source.Partition, source.Offset))
        {
            return RecordVerdict.AlreadyProcessed;
        }

        byte[]? unit = null;
        if (segment.Unit is not null && (unit = segment.UnitId(body)) is null)
        {
            return RecordVerdict.MissingUnit;
        }

        long windowIndex;
        if (state.Engine is { } engine)
        {
            var spec = segment.Spec!;
            Span<AggregateInput> inputs = stackalloc AggregateInput[spec.Aggregates.Count];
            AggregateInputReader.Read(body, spec, inputs);
            _sealedScratch.Clear();
            // Stream time is a watermark over the segment's source partitions (the input partitions themselves when
            // the input is keyed by segment). The source offset orders a unit's records for contribution bounding.
            var result = engine.Observe(timestampMs, state.SourceKey(source.Topic, source.Partition), source.Offset,
                unit is null ? null : StateKeys.EngineUnit(unit), inputs, _sealedScratch);
            if (result.Outcome == RecordOutcome.OutOfRange)
            {
                return RecordVerdict.TimestampOutOfRange;
            }

            state.EngineDirty = true;
            Seal(state, _sealedScratch, context);
            if (result.Outcome == RecordOutcome.Late)
            {
                return RecordVerdict.Late;
            }

            context.Tally.AddContributionsCapped(result.CappedAggregates);
            windowIndex = result.WindowIndex;
        }
        else
        {
            var window = segment.Window;
            windowIndex = window.IndexOf(timestampMs);
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (window.IsOutOfRange(timestampMs, state.StreamTime, now))
            {
                return RecordVerdict.TimestampOutOfRange;
            }

            if (!state.AdvanceCapClock(timestampMs, windowIndex, now))
            {
                return RecordVerdict.Late;
            }
        }

        if (segment.Unit is { } unitPolicy && !state.TryCountUnitEvent(windowIndex, unit!, unitPolicy.MaxEventsPerWindow))
        {
            return unitPolicy.OverCap == OverCapBehavior.Drop ? RecordVerdict.DropOverCap : RecordVerdict.PublishStripped;
        }

        return state.Lifetimes is { } lifetimes ? ChargeLifetime(partition, state, lifetimes, unit!, context) : RecordVerdict.Publish;
    }

    // An event about to go out with its noised fields is charged to its unit's lifetime ledger first; once the cap is
    // spent (or the ledger is lost) the event goes out without them. The unit's exhaustion is audited and metered
    // once (its account keeps the mark); a lost ledger is audited and logged once per load.
    private RecordVerdict ChargeLifetime(int partition, SegmentState state, UnitLifetimes lifetimes, byte[] unit, IProcessorContext context)
    {
        var segment = state.Segment.Name;
        switch (lifetimes.Charge(unit))
        {
            case LifetimeCharge.Charged:
                return RecordVerdict.Publish;
            case LifetimeCharge.NewlyExhausted:
                context.Send(_audit.UnitLifetimeExhausted(MaskProcessor.StageName, segment, partition, AuditCodes.EventLifetimeSpent, lifetimes.Cap));
                context.Tally.AddUnitLifetimeExhausted(segment);
                return RecordVerdict.PublishStripped;
            case LifetimeCharge.LedgerLost when !lifetimes.LossReported:
                lifetimes.LossReported = true;
                _logger.UnitLifetimeLedgerLost(segment, partition);
                context.Send(_audit.UnitLifetimeExhausted(MaskProcessor.StageName, segment, partition, AuditCodes.EventLifetimeStateLost, lifetimes.Cap));
                return RecordVerdict.PublishStripped;
            default:
                return RecordVerdict.PublishStripped;
        }
    }

    private StateStoreParticipant Stores => _stores ?? throw new InvalidOperationException("The windowing stage has not started.");

    private IEnumerable<SegmentState> AllStates() => _partitions.Values.SelectMany(p => p.Values);

    private List<int> Ours(IReadOnlyList<TopicPartition> partitions) =>
        partitions.Where(p => p.Topic == _sourceTopic).Select(p => p.Partition.Value).ToList();

    private void Forget(IReadOnlyList<TopicPartition> partitions)
    {
        foreach (var partition in Ours(partitions))
        {
            _partitions.Remove(partition);
        }
    }

    // After assignment or abort: load every segment that has state here, so pending seals are released.
    private void LoadExisting(int partition)
    {
        var store = Stores.Store(StoreName, partition);
        foreach (var segment in _segments.Values)
        {
            if (SegmentState.Exists(segment, store))
            {
                var state = Load(partition, segment, store);
                _partitions[partition][segment.Name] = state;
                _releasesPending |= state.Releasable.Count > 0;
            }
        }
    }

    private SegmentState StateOf(int partition, WindowedSegment segment)
    {
        if (!_partitions.TryGetValue(partition, out var states))
        {
            throw new InvalidOperationException($"Partition {partition} of {_sourceTopic} is not assigned to this stage.");
        }

        if (!states.TryGetValue(segment.Name, out var state))
        {
            // The segment shows up on this partition: its key must map here, or it would get a second ledger.
            if (_ownership.CheckArrival(segment.Name, partition) is { } violation)
            {
                throw Stop(violation);
            }

            state = Load(partition, segment, Stores.Store(StoreName, partition));
            states[segment.Name] = state;
        }

        return state;
    }

    private SegmentState Load(int partition, WindowedSegment segment, IKeyValueStore store)
    {
        var state = SegmentState.Load(segment, store, _time, out var abandoned);
        if (abandoned is not null)
        {
            _logger.WindowStateAbandoned(segment.Name, partition, abandoned);
        }

        state.RecordOwner(_ownership.RecordFor(partition));
        return state;
    }

    // Fail closed on an ownership violation: one log line, an audit event written outside the (aborted) transaction
    // on a best-effort basis, then the stage stops. Nothing of the open transaction is committed.
    private StageStoppedException Stop(OwnershipViolation violation)
    {
        _logger.OwnershipViolated(MaskProcessor.StageName, violation.Code, violation.Message);
        var audit = _audit.OwnershipViolated(MaskProcessor.StageName, violation.Topic, violation.Segment, violation.Partition,
            violation.Code, violation.Message);
        try
        {
            using var producer = _clients.CreateProducer("dp-ownership-audit");
            producer.Produce(audit.Topic, audit.Message);
            producer.Flush(_operationTimeout);
        }
        catch (KafkaException)
        {
            // The audit topic is unreachable: the log line and the stop still say why.
        }

        return new StageStoppedException(violation.Message, fenced: false);
    }

    private static void Seal(SegmentState state, List<SealedWindow> sealedWindows, IProcessorContext context)
    {
        foreach (var window in sealedWindows)
        {
            state.Store.Put(StateKeys.Sealed(state.Segment.Name, window.WindowIndex), window.ToBytes());
            state.SealedInTransaction.Add(window.WindowIndex);
        }

        context.Tally.AddSealed(state.Segment.Name, sealedWindows.Count);
    }

    private void Release(int partition, SegmentState state, IProcessorContext context)
    {
        var segment = state.Segment;
        var spec = segment.Spec!;
        var ledger = state.Ledger ??= LoadLedger(state, spec, partition);
        var continual = spec.Aggregates.Any(a => a.IsContinual) ? state.Continual ??= LoadContinual(state, spec, partition) : null;
        foreach (var windowIndex in state.Releasable.ToList())
        {
            var key = StateKeys.Sealed(segment.Name, windowIndex);
            var sealedWindow = state.Store.Get(key) is { } bytes ? TryRead(bytes) : null;
            IReadOnlyList<ReleaseOutcome>? outcomes = null;
            if (sealedWindow is not null)
            {
                try
                {
                    outcomes = WindowReleaser.Release(sealedWindow, spec, _noiseKey, ledger, continual, StateKeys.NoiseOwner(partition));
                }
                catch (ArgumentException)
                {
                    // Sealed under a policy whose aggregates differ: it cannot be released under this one. Dropping a
                    // release is always safe; releasing it under the wrong parameters is not.
                    outcomes = null;
                }
            }

            if (outcomes is null)
            {
                _logger.SealedWindowAbandoned(segment.Name, partition, windowIndex);
                context.Tally.AddSuppression(segment.Name, "policy_changed");
            }
            else
            {
                Emit(state, sealedWindow!, outcomes, ledger, partition, context);
            }

            _faultPoint?.Invoke("release");
            state.Store.Delete(key);
            state.Releasable.Remove(windowIndex);
        }

        state.Store.Put(StateKeys.Ledger(segment.Name), ledger.ToBytes());
        if (continual is not null)
        {
            state.Store.Put(StateKeys.Continual(segment.Name), continual.ToBytes());
            if (continual.AnyStarted)
            {
                state.Store.Put(StateKeys.ContinualStarted(segment.Name), [1]);
            }
        }
    }

    private void Emit(SegmentState state, SealedWindow window, IReadOnlyList<ReleaseOutcome> outcomes, BudgetLedger ledger,
        int partition, IProcessorContext context)
    {
        var segment = state.Segment.Name;
        var released = 0;
        var suppressed = 0;
        foreach (var outcome in outcomes)
        {
            switch (outcome.Kind)
            {
                case ReleaseOutcomeKind.Released:
                    context.Send(AggregateRecord(segment, window, outcome.Payload!));
                    context.Send(_audit.Release(outcome));
                    if (outcome.Charged is { } charged)
                    {
                        context.Send(_audit.BudgetDebit(segment, outcome, ledger));
                        context.Tally.AddCharge(segment, charged.Epsilon.Value, charged.Rho.Value);
                    }

                    context.Tally.AddRelease(segment);
                    released++;
                    break;
                case ReleaseOutcomeKind.Suppressed:
                    context.Send(_audit.Suppression(outcome, window, _policy.Version));
                    context.Tally.AddSuppression(segment, AuditCodes.SuppressionCode(outcome.Reason));
                    if (!ExhaustedCaps.IsExhaustion(outcome.Reason))
                    {
                        _logger.ReleaseSuppressed(segment, outcome.Aggregate, window.WindowIndex, AuditCodes.SuppressionCode(outcome.Reason));
                    }
                    else if (_exhausted.FirstTime(segment, outcome.Reason))
                    {
                        _logger.LifetimeBudgetExhausted(segment, window.WindowIndex);
                    }

                    suppressed++;
                    break;
                case ReleaseOutcomeKind.Replayed:
                default:
                    // Paid and emitted by an earlier committed transaction: nothing new leaves.
                    break;
            }
        }

        _logger.WindowReleased(segment, partition, window.WindowIndex, released, suppressed);
    }

    private OutputRecord AggregateRecord(string segment, SealedWindow window, byte[] payload)
    {
        var segmentBytes = Encoding.UTF8.GetBytes(segment);
        var message = new Message<byte[]?, byte[]?>
        {
            Key = segmentBytes,
            Value = payload,
            Headers = new Headers
            {
                { RecordHeaders.Segment, segmentBytes },
                { RecordHeaders.PolicyVersion, _policyVersion },
                { "content-type", JsonContentType },
            },
            // The window's end: the record is a pure function of the sealed window, timestamp included.
            Timestamp = new Timestamp(window.EndMs, TimestampType.CreateTime),
        };
        return new OutputRecord(_aggregatesTopic, message, OutputKind.Auxiliary, segment);
    }

    private static SealedWindow? TryRead(byte[] bytes)
    {
        try
        {
            return SealedWindow.FromBytes(bytes);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // The ledger carries over policy changes (LedgerCarryOver), so what was spent is never forgotten. A change of the
    // spec's content hash is the explicit policy transition: the ledger is rebound to the new hash (persisted with
    // it), logged here and visible in the policy-loaded audit event's content hashes.
    private BudgetLedger LoadLedger(SegmentState state, SegmentAggregationSpec spec, int partition)
    {
        var contentHash = spec.ContentHash;
        if (state.Store.Get(StateKeys.Ledger(state.Segment.Name)) is not { } bytes)
        {
            return spec.Budget.CreateLedger(contentHash);
        }

        var ledger = BudgetLedger.FromBytes(bytes);
        if (ledger.Binding != contentHash)
        {
            _logger.LedgerTransition(state.Segment.Name, partition, contentHash);
        }

        var budget = spec.Budget;
        return LedgerCarryOver.Carry(ledger, budget.CreateAccountant(), budget.WindowCap, budget.LifetimeCap, contentHash);
    }

    // Fail closed: counters whose state is gone stay silent until the operator starts new incarnations; a change of
    // spec content starts new counters (new identities, charged anew). Never a silent restart under an old identity.
    private ContinualTotals LoadContinual(SegmentState state, SegmentAggregationSpec spec, int partition)
    {
        var name = state.Segment.Name;
        var everStarted = state.Store.Get(StateKeys.ContinualStarted(name)) is not null;
        var (totals, outcome) = ContinualRestore.Restore(
            spec, _noiseKey, state.Store.Get(StateKeys.Continual(name)), everStarted, _startNewCounters.Contains(name), StateKeys.NoiseOwner(partition));
        switch (outcome)
        {
            case ContinualRestoreOutcome.Lost:
                _logger.ContinualStateLost(name, partition);
                break;
            case ContinualRestoreOutcome.Transition:
                _logger.ContinualCountersRestarted(name, partition, "were bound to other policy content");
                break;
            case ContinualRestoreOutcome.NewIncarnation:
                _logger.ContinualCountersRestarted(name, partition, "were lost and the operator started new ones");
                break;
        }

        return totals;
    }
}

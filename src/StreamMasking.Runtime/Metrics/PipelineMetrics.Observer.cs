using Confluent.Kafka;
using StreamMasking.Runtime.Diagnostics;

namespace StreamMasking.Runtime.Metrics;

/// <summary>The pipeline's events, turned into metrics.</summary>
public sealed partial class PipelineMetrics : IPipelineObserver
{
    void IPipelineObserver.OnPolled(string stage) => Progress(stage);

    void IPipelineObserver.OnProcessed(string stage, Timestamp timestamp, TimeSpan elapsed)
    {
        var state = Stage(stage);
        var ms = timestamp.Type == TimestampType.NotAvailable ? -1 : timestamp.UnixTimestampMs;
        state.Current.Open.Add((ms, timestamp.Type == TimestampType.LogAppendTime, elapsed.TotalSeconds));
    }

    void IPipelineObserver.OnCommitted(string stage, TransactionTally tally, TimeSpan commitDuration)
    {
        var state = Stage(stage);
        var now = NowMs();
        _commit.WithLabels(stage).Observe(commitDuration.TotalSeconds);
        _committed.WithLabels(stage).Inc();
        _consumed.WithLabels(stage).Inc(tally.Consumed);
        var processing = _processing.WithLabels(stage);
        var eventTime = _endToEnd.WithLabels(stage, "event_time");
        var appendTime = _endToEnd.WithLabels(stage, "append_time");
        var open = state.Current.Open;
        foreach (var (timestampMs, isAppendTime, seconds) in open)
        {
            processing.Observe(seconds);
            if (timestampMs >= 0)
            {
                // Clocks disagree across machines: a record "from the future" counts as zero latency.
                (isAppendTime ? appendTime : eventTime).Observe(Math.Max(0, now - timestampMs) / 1000.0);
                RaiseTo(ref state.LastRecordTimestampMs, timestampMs);
            }
        }

        open.Clear();
        foreach (var (segment, count) in tally.ForwardedBySegment)
        {
            _published.WithLabels(stage, _segments.For(segment)).Inc(count);
        }

        foreach (var (segment, count) in tally.PublishedBySegment)
        {
            _published.WithLabels(stage, _segments.For(segment)).Inc(count);
        }

        foreach (var (reason, count) in tally.DeadLetteredByReason)
        {
            _deadLettered.WithLabels(stage, reason).Inc(count);
        }

        foreach (var ((_, reason), count) in tally.DroppedBySegment)
        {
            _dropped.WithLabels(stage, reason).Inc(count);
        }

        foreach (var (segment, count) in tally.SealedBySegment)
        {
            _sealed.WithLabels(_segments.For(segment)).Inc(count);
        }

        foreach (var (segment, count) in tally.LateBySegment)
        {
            _late.WithLabels(_segments.For(segment)).Inc(count);
        }

        foreach (var (segment, count) in tally.UnnamedFieldsBySegment)
        {
            _unnamedFields.WithLabels(_segments.For(segment)).Inc(count);
        }

        foreach (var (segment, count) in tally.UnitsExhaustedBySegment)
        {
            _unitsExhausted.WithLabels(_segments.For(segment)).Inc(count);
        }

        foreach (var (segment, count) in tally.ReleasesBySegment)
        {
            _released.WithLabels(_segments.For(segment)).Inc(count);
            Budget(segment).AddReleases(count);
        }

        foreach (var ((segment, reason), count) in tally.SuppressionsBySegment)
        {
            _suppressed.WithLabels(_segments.For(segment), reason).Inc(count);
            Budget(segment).AddSuppressions(reason, count);
        }

        Progress(stage);
    }

    void IPipelineObserver.OnAborted(string stage, TransactionTally tally)
    {
        _aborted.WithLabels(stage).Inc();
        _auditFailures.Inc(tally.AuditEvents);
        Stage(stage).Current.Open.Clear();
    }

    void IPipelineObserver.OnRebalanced(string stage, RebalanceKind kind, int partitions)
    {
        var state = Stage(stage);
        _rebalances.WithLabels(stage, kind switch
        {
            RebalanceKind.Assigned => "assigned",
            RebalanceKind.Revoked => "revoked",
            _ => "lost",
        }).Inc();
        // Deltas, so eager and cooperative assignment both add up; only the loop's own thread writes its count.
        var loop = state.Current;
        Volatile.Write(ref loop.Assigned, Math.Max(0, kind == RebalanceKind.Assigned ? loop.Assigned + partitions : loop.Assigned - partitions));
        if (kind == RebalanceKind.Assigned)
        {
            state.Joined = true;
        }

        _assigned.WithLabels(stage).Set(state.Assigned);
        Progress(stage);
    }

    void IPipelineObserver.OnStatistics(string stage, string json)
    {
        var state = Stage(stage);
        var lag = ConsumerLag.PerTopic(json);
        var own = state.Current.LagByTopic;
        foreach (var topic in own.Keys.Except(lag.Keys).ToList())
        {
            own[topic] = 0;
        }

        foreach (var (topic, records) in lag)
        {
            own[topic] = records;
        }

        long total = 0;
        foreach (var (topic, records) in state.LagByTopic)
        {
            _lagRecords.WithLabels(stage, topic).Set(records);
            total += records;
        }

        // Estimate: the oldest unconsumed record is no older than the newest one processed.
        var newest = Interlocked.Read(ref state.LastRecordTimestampMs);
        _lagSeconds.WithLabels(stage).Set(total == 0 || newest < 0 ? 0 : Math.Max(0, NowMs() - newest) / 1000.0);
    }

    void IStateRestoreObserver.OnRestoreStarted(string store, int partition, long startOffset, long endOffset)
    {
        _restoring[(store, partition)] = (endOffset, Math.Max(0, endOffset - startOffset));
        UpdateRestoreRemaining(store);
    }

    void IStateRestoreObserver.OnBatchRestored(string store, int partition, long totalRestored, long position)
    {
        if (_restoring.TryGetValue((store, partition), out var restore))
        {
            _restoring[(store, partition)] = (restore.End, Math.Max(0, restore.End - position));
        }

        // Restores run inside the mask stage's assignment callback: a restore making progress is a live loop.
        Progress(MaskProcessorStage);
        UpdateRestoreRemaining(store);
    }

    void IStateRestoreObserver.OnRestoreCompleted(StoreRestoreResult result)
    {
        _restoring.TryRemove((result.Store, result.Partition), out _);
        _restoredRecords.WithLabels(result.Store).Inc(result.RecordsRestored);
        _restoreDuration.WithLabels(result.Store).Set(result.Duration.TotalSeconds);
        UpdateRestoreRemaining(result.Store);
    }

    void IStateStoreMetrics.OnOperation(string store, StoreOperation operation, TimeSpan elapsed) =>
        _storeOperations.WithLabels(store, operation switch
        {
            StoreOperation.Get => "get",
            StoreOperation.Put => "put",
            StoreOperation.Delete => "delete",
            _ => "range",
        }).Observe(elapsed.TotalSeconds);

    private void UpdateRestoreRemaining(string store) =>
        _restoreRemaining.WithLabels(store).Set(_restoring.Where(r => r.Key.Store == store).Sum(r => r.Value.Remaining));

    // Several loops of a stage may report at once: keep the largest.
    private static void RaiseTo(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private StageState Stage(string stage) => _stages.GetOrAdd(stage, _ => new StageState(NowMs()));

    private void Progress(string stage)
    {
        var now = NowMs();
        var state = Stage(stage);
        Interlocked.Exchange(ref state.LastProgressMs, now);
        Interlocked.Exchange(ref state.Current.LastProgressMs, now);
        _progress.WithLabels(stage).Set(now / 1000.0);
    }
}

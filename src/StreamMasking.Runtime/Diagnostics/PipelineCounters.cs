namespace StreamMasking.Runtime.Diagnostics;

/// <summary>
/// Committed-record counters of one pipeline instance, metric-ready (a Prometheus exporter reads
/// <see cref="Snapshot"/>). Only committed transactions are counted, so for this process's lifetime
/// <c>Consumed = Published + DeadLettered + Dropped + InFlight</c> holds at every snapshot, where InFlight counts
/// records between the two stages.
/// </summary>
public sealed class PipelineCounters
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _routed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _published = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _deadLetters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _dropped = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _releases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _suppressions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _epsilon = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _rho = new(StringComparer.Ordinal);
    private long _consumed;
    private long _forwarded;
    private long _consumedFromRepartition;
    private long _publishedTotal;
    private long _deadLetteredTotal;
    private long _droppedTotal;
    private long _stripped;
    private long _late;
    private long _contributionsCapped;
    private long _sealed;
    private long _releasesTotal;
    private long _suppressionsTotal;
    private long _commits;
    private long _aborts;
    private long _storesRestored;
    private long _recordsRestored;
    private TimeSpan _restoreTime;

    /// <summary>The metrics layer fed with every pipeline event, when one is attached.</summary>
    internal IPipelineObserver? Observer { get; set; }

    /// <summary>The restore observer for state stores: counts here, then forwards to <see cref="Observer"/>.</summary>
    internal IStateRestoreObserver RestoreObserver => new RestoreCounter(this);

    /// <summary>Takes a consistent copy of every counter.</summary>
    public PipelineSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new PipelineSnapshot(
                Consumed: _consumed,
                Published: _publishedTotal,
                DeadLettered: _deadLetteredTotal,
                Dropped: _droppedTotal,
                InFlight: _forwarded - _consumedFromRepartition,
                RoutedBySegment: new Dictionary<string, long>(_routed, StringComparer.Ordinal),
                PublishedBySegment: new Dictionary<string, long>(_published, StringComparer.Ordinal),
                DeadLettersByReason: new Dictionary<string, long>(_deadLetters, StringComparer.Ordinal),
                CommittedTransactions: _commits,
                AbortedTransactions: _aborts)
            {
                DroppedBySegmentAndReason = new Dictionary<string, long>(_dropped, StringComparer.Ordinal),
                StrippedOverCap = _stripped,
                LateRecords = _late,
                ContributionsCapped = _contributionsCapped,
                WindowsSealed = _sealed,
                Releases = _releasesTotal,
                ReleasesBySegment = new Dictionary<string, long>(_releases, StringComparer.Ordinal),
                Suppressions = _suppressionsTotal,
                SuppressionsByReason = new Dictionary<string, long>(_suppressions, StringComparer.Ordinal),
                EpsilonChargedBySegment = new Dictionary<string, double>(_epsilon, StringComparer.Ordinal),
                RhoChargedBySegment = new Dictionary<string, double>(_rho, StringComparer.Ordinal),
                StoresRestored = _storesRestored,
                RecordsRestored = _recordsRestored,
                RestoreTime = _restoreTime,
            };
        }
    }

    /// <summary>Adds a committed transaction's counts.</summary>
    /// <param name="tally">The transaction's counts.</param>
    /// <param name="isEntryStage">Whether the stage consumes the input topics (otherwise it consumes the repartition topic).</param>
    internal void ApplyCommitted(TransactionTally tally, bool isEntryStage)
    {
        lock (_gate)
        {
            _commits++;
            if (isEntryStage)
            {
                _consumed += tally.Consumed;
            }
            else
            {
                _consumedFromRepartition += tally.Consumed;
            }

            _forwarded += tally.Forwarded;
            _publishedTotal += tally.Published;
            _deadLetteredTotal += tally.DeadLettered;
            _droppedTotal += tally.Dropped;
            _stripped += tally.StrippedOverCap;
            _late += tally.LateRecords;
            _contributionsCapped += tally.ContributionsCapped;
            _sealed += tally.WindowsSealed;
            _releasesTotal += tally.Releases;
            _suppressionsTotal += tally.Suppressions;
            Merge(_routed, tally.ForwardedBySegment);
            Merge(_published, tally.PublishedBySegment);
            Merge(_deadLetters, tally.DeadLetteredByReason);
            Merge(_releases, tally.ReleasesBySegment);
            Merge(_suppressions, tally.SuppressionsByReason);
            foreach (var ((segment, reason), count) in tally.DroppedBySegment)
            {
                var key = segment + "/" + reason;
                _dropped[key] = _dropped.GetValueOrDefault(key) + count;
            }

            foreach (var (segment, value) in tally.EpsilonChargedBySegment)
            {
                _epsilon[segment] = _epsilon.GetValueOrDefault(segment) + value;
            }

            foreach (var (segment, value) in tally.RhoChargedBySegment)
            {
                _rho[segment] = _rho.GetValueOrDefault(segment) + value;
            }
        }
    }

    internal void CountAbort()
    {
        lock (_gate)
        {
            _aborts++;
        }
    }

    /// <summary>A state store partition finished restoring.</summary>
    internal void CountRestore(long records, TimeSpan duration)
    {
        lock (_gate)
        {
            _storesRestored++;
            _recordsRestored += records;
            _restoreTime += duration;
        }
    }

    private static void Merge(Dictionary<string, long> into, Dictionary<string, long> from)
    {
        foreach (var (key, value) in from)
        {
            into[key] = into.GetValueOrDefault(key) + value;
        }
    }
}

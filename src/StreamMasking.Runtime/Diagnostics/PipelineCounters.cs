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
    private long _consumed;
    private long _forwarded;
    private long _consumedFromRepartition;
    private long _publishedTotal;
    private long _deadLetteredTotal;
    private long _commits;
    private long _aborts;

    /// <summary>Takes a consistent copy of every counter.</summary>
    public PipelineSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new PipelineSnapshot(
                Consumed: _consumed,
                Published: _publishedTotal,
                DeadLettered: _deadLetteredTotal,
                Dropped: 0,
                InFlight: _forwarded - _consumedFromRepartition,
                RoutedBySegment: new Dictionary<string, long>(_routed, StringComparer.Ordinal),
                PublishedBySegment: new Dictionary<string, long>(_published, StringComparer.Ordinal),
                DeadLettersByReason: new Dictionary<string, long>(_deadLetters, StringComparer.Ordinal),
                CommittedTransactions: _commits,
                AbortedTransactions: _aborts);
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
            Merge(_routed, tally.ForwardedBySegment);
            Merge(_published, tally.PublishedBySegment);
            Merge(_deadLetters, tally.DeadLetteredByReason);
        }
    }

    internal void CountAbort()
    {
        lock (_gate)
        {
            _aborts++;
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

using StreamMasking.Broker.Groups.Persistence;

namespace StreamMasking.Broker.Transactions;

/// <summary>
/// Durable transaction-coordinator state: producer-id blocks and the state of every transactional id. Producer ids
/// are reserved in blocks, and a block is journaled before any id of it is handed out, so a restarted broker never
/// reuses a producer id (nor, because the epoch is journaled before it is answered, a producer epoch).
/// </summary>
internal sealed class TransactionStateStore : IDisposable
{
    private const string JournalFileName = "transactions.jsonl";
    private const long BlockSize = 1000;

    private readonly JsonLineJournal<TransactionJournalRecord>? _journal;
    private long _nextProducerId;
    private long _blockEnd;

    public TransactionStateStore(string? stateDirectory)
    {
        if (stateDirectory is null)
        {
            return;
        }

        var path = Path.Combine(stateDirectory, JournalFileName);
        var latest = new Dictionary<string, TransactionJournalRecord>(StringComparer.Ordinal);
        foreach (var record in JsonLineJournal<TransactionJournalRecord>.ReadAll(path, CoordinatorJsonContext.Default.TransactionJournalRecord))
        {
            if (record.Kind == "pid-block")
            {
                _blockEnd = Math.Max(_blockEnd, record.PidBlockEnd);
            }
            else
            {
                latest[record.TransactionalId!] = record;
            }
        }

        // Ids of the last reserved block may have been handed out before the restart: start after it.
        _nextProducerId = _blockEnd;
        Recovered = latest.Values.ToList();
        var snapshot = Recovered.Prepend(new TransactionJournalRecord("pid-block", PidBlockEnd: _blockEnd));
        _journal = JsonLineJournal<TransactionJournalRecord>.OpenWithSnapshot(path, CoordinatorJsonContext.Default.TransactionJournalRecord, snapshot);
    }

    /// <summary>Transactional ids found on disk at start.</summary>
    public IReadOnlyList<TransactionJournalRecord> Recovered { get; } = [];

    /// <summary>A producer id never handed out before (also across restarts with the same state directory).</summary>
    public long NextProducerId()
    {
        if (_nextProducerId >= _blockEnd)
        {
            _blockEnd = _nextProducerId + BlockSize;
            _journal?.Append(new TransactionJournalRecord("pid-block", PidBlockEnd: _blockEnd));
        }

        return _nextProducerId++;
    }

    /// <summary>Journals the state of one transactional id; <paramref name="all"/> is the live state, for compaction.</summary>
    public void Save(TransactionMetadata metadata, IEnumerable<TransactionMetadata> all)
    {
        if (_journal is null)
        {
            return;
        }

        _journal.Append(ToRecord(metadata));
        var live = all.ToList();
        if (_journal.AppendsSinceSnapshot > Math.Max(10_000, 4 * live.Count))
        {
            _journal.Compact(live.Select(ToRecord).Prepend(new TransactionJournalRecord("pid-block", PidBlockEnd: _blockEnd)).ToList());
        }
    }

    private static TransactionJournalRecord ToRecord(TransactionMetadata metadata) =>
        new("txn",
            TransactionalId: metadata.TransactionalId,
            ProducerId: metadata.ProducerId,
            ProducerEpoch: metadata.ProducerEpoch,
            LastProducerEpoch: metadata.LastProducerEpoch,
            TimeoutMs: metadata.TimeoutMs,
            State: metadata.State,
            Partitions: metadata.Partitions.ToList(),
            Groups: metadata.Groups.ToList(),
            StartTimeMs: metadata.StartTime.ToUnixTimeMilliseconds());

    public void Dispose() => _journal?.Dispose();
}

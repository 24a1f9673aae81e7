using Microsoft.Extensions.Logging;
using StreamMasking.Broker.Groups;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Transactions;

/// <summary>
/// Kafka's transaction coordinator for a single-node broker: producer ids and epochs (InitProducerId), the partitions
/// and groups of each open transaction, commit/abort by writing control markers into every partition of the
/// transaction and completing its staged offsets, and the abort of transactions that outlive transaction.timeout.ms.
/// Fencing errors are returned as PRODUCER_FENCED; handlers map them to INVALID_PRODUCER_EPOCH for old versions.
/// </summary>
internal sealed partial class TransactionCoordinator : IDisposable
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, TransactionMetadata> _transactions = new(StringComparer.Ordinal);
    private readonly TransactionCoordinatorOptions _options;
    private readonly TransactionStateStore _store;
    private readonly ITransactionMarkerWriter _markers;
    private readonly GroupCoordinator _groups;
    private readonly IPartitionCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timeoutTimer;

    public TransactionCoordinator(
        TransactionCoordinatorOptions options, TransactionStateStore store, ITransactionMarkerWriter markers,
        GroupCoordinator groups, IPartitionCatalog catalog, TimeProvider time, ILogger logger)
    {
        options.Validate();
        _options = options;
        _store = store;
        _markers = markers;
        _groups = groups;
        _catalog = catalog;
        _time = time;
        _logger = logger;
        foreach (var record in store.Recovered)
        {
            _transactions[record.TransactionalId!] = Restore(record);
        }

        // A commit or abort that was decided but not finished before a restart is finished now.
        foreach (var metadata in _transactions.Values.Where(t => t.IsCompleting))
        {
            metadata.Completion = Task.Run(() => Complete(metadata, metadata.State == TransactionState.PrepareCommit, metadata.ProducerEpoch));
        }

        var interval = TimeSpan.FromMilliseconds(options.TimeoutCheckIntervalMs);
        _timeoutTimer = time.CreateTimer(_ => AbortTimedOutTransactions(), null, interval, interval);
    }

    /// <summary>
    /// InitProducerId: a fresh id for idempotent producers; for transactional ids a stable id with a bumped epoch.
    /// <paramref name="expectedProducerId"/>/<paramref name="expectedEpoch"/> (v3+, KIP-360) are what the client holds, or -1.
    /// </summary>
    public async Task<(ErrorCode Error, long ProducerId, short ProducerEpoch)> InitProducerIdAsync(
        string? transactionalId, int transactionTimeoutMs, long expectedProducerId, short expectedEpoch)
    {
        if (transactionalId is null)
        {
            lock (_sync)
            {
                return (ErrorCode.None, _store.NextProducerId(), 0);
            }
        }

        if (transactionalId.Length == 0)
        {
            return (ErrorCode.InvalidRequest, -1, -1);
        }

        if (transactionTimeoutMs <= 0 || transactionTimeoutMs > _options.MaxTransactionTimeoutMs)
        {
            return (ErrorCode.InvalidTransactionTimeout, -1, -1);
        }

        // At most two rounds: fence-abort an open transaction, then bump for the new producer.
        for (var round = 0; round < 3; round++)
        {
            Task? wait;
            lock (_sync)
            {
                if (!_transactions.TryGetValue(transactionalId, out var metadata))
                {
                    metadata = new TransactionMetadata(transactionalId, _store.NextProducerId(), transactionTimeoutMs) { ProducerEpoch = 0 };
                    _transactions[transactionalId] = metadata;
                    _store.Save(metadata, _transactions.Values);
                    TransactionLog.Initialised(_logger, transactionalId, metadata.ProducerId, 0);
                    return (ErrorCode.None, metadata.ProducerId, 0);
                }

                if (expectedProducerId >= 0)
                {
                    if (expectedProducerId == metadata.ProducerId && expectedEpoch == metadata.LastProducerEpoch && metadata.State == TransactionState.Empty)
                    {
                        // A retry of an InitProducerId that already bumped the epoch.
                        return (ErrorCode.None, metadata.ProducerId, metadata.ProducerEpoch);
                    }

                    if (expectedProducerId != metadata.ProducerId || expectedEpoch != metadata.ProducerEpoch)
                    {
                        return (ErrorCode.ProducerFenced, -1, -1);
                    }
                }

                if (metadata.IsCompleting)
                {
                    wait = metadata.Completion;
                }
                else if (metadata.State == TransactionState.Ongoing)
                {
                    // A new incarnation of this transactional id: abort what the old one left open, with a bumped
                    // epoch in the markers so the old producer is fenced on every partition it wrote to.
                    wait = BeginCompletion(metadata, commit: false, fence: true);
                }
                else
                {
                    BumpEpoch(metadata);
                    metadata.TimeoutMs = transactionTimeoutMs;
                    metadata.State = TransactionState.Empty;
                    metadata.Partitions.Clear();
                    metadata.Groups.Clear();
                    _store.Save(metadata, _transactions.Values);
                    TransactionLog.Initialised(_logger, transactionalId, metadata.ProducerId, metadata.ProducerEpoch);
                    return (ErrorCode.None, metadata.ProducerId, metadata.ProducerEpoch);
                }
            }

            if (wait is not null)
            {
                await wait.ConfigureAwait(false);
            }

            expectedProducerId = -1;
        }

        return (ErrorCode.ConcurrentTransactions, -1, -1);
    }

    public void Dispose()
    {
        _timeoutTimer.Dispose();
        Task[] pending;
        lock (_sync)
        {
            pending = _transactions.Values.Select(t => t.Completion).OfType<Task>().ToArray();
        }

        Task.WaitAll(pending, TimeSpan.FromSeconds(10));
        _store.Dispose();
    }

    private void BumpEpoch(TransactionMetadata metadata)
    {
        if (metadata.EpochExhausted)
        {
            // Epoch exhausted: continue under a fresh producer id; the old id can never be used again.
            metadata.ProducerId = _store.NextProducerId();
            metadata.LastProducerEpoch = -1;
            metadata.ProducerEpoch = 0;
            return;
        }

        metadata.LastProducerEpoch = metadata.ProducerEpoch;
        metadata.ProducerEpoch++;
    }

    private static TransactionMetadata Restore(TransactionJournalRecord record)
    {
        var metadata = new TransactionMetadata(record.TransactionalId!, record.ProducerId, record.TimeoutMs)
        {
            ProducerEpoch = record.ProducerEpoch,
            LastProducerEpoch = record.LastProducerEpoch,
            State = record.State,
            StartTime = DateTimeOffset.FromUnixTimeMilliseconds(record.StartTimeMs),
        };
        metadata.Partitions.UnionWith(record.Partitions ?? []);
        metadata.Groups.UnionWith(record.Groups ?? []);
        return metadata;
    }
}

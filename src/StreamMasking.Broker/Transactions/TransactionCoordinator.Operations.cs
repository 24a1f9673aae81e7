using StreamMasking.Broker.Groups;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Transactions;

/// <summary>AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit validation, EndTxn and transaction timeouts.</summary>
internal sealed partial class TransactionCoordinator
{
    /// <returns>An error code per partition, in request order.</returns>
    public IReadOnlyList<ErrorCode> AddPartitions(string transactionalId, long producerId, short producerEpoch, IReadOnlyList<TopicPartitionKey> partitions)
    {
        lock (_sync)
        {
            var error = ValidateForUpdate(transactionalId, producerId, producerEpoch, out var metadata);
            if (error != ErrorCode.None)
            {
                return partitions.Select(_ => error).ToList();
            }

            var unknown = partitions.Select(p => !_catalog.PartitionExists(p.Topic, p.Partition)).ToList();
            if (unknown.Contains(true))
            {
                return unknown.Select(u => u ? ErrorCode.UnknownTopicOrPartition : ErrorCode.OperationNotAttempted).ToList();
            }

            BeginOrContinue(metadata!);
            metadata!.Partitions.UnionWith(partitions);
            _store.Save(metadata, _transactions.Values);
            return partitions.Select(_ => ErrorCode.None).ToList();
        }
    }

    public ErrorCode AddOffsets(string transactionalId, long producerId, short producerEpoch, string groupId)
    {
        lock (_sync)
        {
            var error = ValidateForUpdate(transactionalId, producerId, producerEpoch, out var metadata);
            if (error != ErrorCode.None)
            {
                return error;
            }

            if (groupId.Length == 0)
            {
                return ErrorCode.InvalidGroupId;
            }

            BeginOrContinue(metadata!);
            metadata!.Groups.Add(groupId);
            _store.Save(metadata, _transactions.Values);
            return ErrorCode.None;
        }
    }

    /// <summary>Checks that a TxnOffsetCommit comes from the current producer of an open transaction that added the group.</summary>
    public ErrorCode ValidateTxnOffsetCommit(string transactionalId, long producerId, short producerEpoch, string groupId)
    {
        lock (_sync)
        {
            var error = ValidateProducer(transactionalId, producerId, producerEpoch, out var metadata);
            if (error != ErrorCode.None)
            {
                return error;
            }

            return metadata!.State == TransactionState.Ongoing && metadata.Groups.Contains(groupId) ? ErrorCode.None : ErrorCode.InvalidTxnState;
        }
    }

    /// <summary>EndTxn: commits or aborts; answers once every marker is written and staged offsets are completed.</summary>
    public async Task<ErrorCode> EndTransactionAsync(string transactionalId, long producerId, short producerEpoch, bool commit)
    {
        Task completion;
        lock (_sync)
        {
            var error = ValidateProducer(transactionalId, producerId, producerEpoch, out var metadata);
            if (error != ErrorCode.None)
            {
                return error;
            }

            switch (metadata!.State)
            {
                case TransactionState.Ongoing:
                    completion = BeginCompletion(metadata, commit, fence: false);
                    break;
                case TransactionState.PrepareCommit:
                    return commit ? ErrorCode.ConcurrentTransactions : ErrorCode.InvalidTxnState;
                case TransactionState.PrepareAbort:
                    return commit ? ErrorCode.InvalidTxnState : ErrorCode.ConcurrentTransactions;
                case TransactionState.CompleteCommit:
                    // A retried EndTxn whose answer was lost.
                    return commit ? ErrorCode.None : ErrorCode.InvalidTxnState;
                case TransactionState.CompleteAbort:
                    return commit ? ErrorCode.InvalidTxnState : ErrorCode.None;
                default:
                    return ErrorCode.InvalidTxnState;
            }
        }

        await completion.ConfigureAwait(false);
        return ErrorCode.None;
    }

    /// <summary>Aborts open transactions older than their timeout, bumping the epoch so their producer is fenced.</summary>
    internal void AbortTimedOutTransactions()
    {
        try
        {
            lock (_sync)
            {
                var now = _time.GetUtcNow();
                foreach (var metadata in _transactions.Values)
                {
                    if (metadata.State == TransactionState.Ongoing && now >= metadata.StartTime.AddMilliseconds(metadata.TimeoutMs))
                    {
                        TransactionLog.TimedOut(_logger, metadata.TransactionalId, metadata.ProducerEpoch);
                        BeginCompletion(metadata, commit: false, fence: true);
                    }
                }
            }
        }
#pragma warning disable CA1031 // A timer callback must not throw; the next tick retries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TransactionLog.SweepFailed(_logger, ex);
        }
    }

    /// <summary>Test hook: the completion task of a transactional id's commit/abort in progress, if any.</summary>
    internal Task PendingCompletion(string transactionalId)
    {
        lock (_sync)
        {
            return _transactions.TryGetValue(transactionalId, out var metadata) ? metadata.Completion ?? Task.CompletedTask : Task.CompletedTask;
        }
    }

    internal TransactionState? StateOf(string transactionalId)
    {
        lock (_sync)
        {
            return _transactions.TryGetValue(transactionalId, out var metadata) ? metadata.State : null;
        }
    }

    /// <summary>Moves to PrepareCommit/PrepareAbort (journaled) and writes the markers outside the lock. Caller holds the lock.</summary>
    private Task BeginCompletion(TransactionMetadata metadata, bool commit, bool fence)
    {
        if (fence && metadata.ProducerEpoch < short.MaxValue)
        {
            // Fencing bump: markers carry the new epoch, so the partitions reject the old producer from now on.
            metadata.LastProducerEpoch = metadata.ProducerEpoch;
            metadata.ProducerEpoch++;
        }

        metadata.State = commit ? TransactionState.PrepareCommit : TransactionState.PrepareAbort;
        _store.Save(metadata, _transactions.Values);
        var epoch = metadata.ProducerEpoch;
        var completion = Task.Run(() => Complete(metadata, commit, epoch));
        metadata.Completion = completion;
        return completion;
    }

    private void Complete(TransactionMetadata metadata, bool commit, short markerEpoch)
    {
        List<TopicPartitionKey> partitions;
        List<string> groups;
        long producerId;
        lock (_sync)
        {
            partitions = metadata.Partitions.ToList();
            groups = metadata.Groups.ToList();
            producerId = metadata.ProducerId;
        }

        foreach (var partition in partitions)
        {
            var error = _markers.WriteMarker(partition.Topic, partition.Partition, producerId, markerEpoch, commit);
            if (error is not ErrorCode.None and not ErrorCode.UnknownTopicOrPartition)
            {
                TransactionLog.MarkerFailed(_logger, partition.Topic, partition.Partition, metadata.TransactionalId, error.ToString());
            }
        }

        foreach (var group in groups)
        {
            _groups.CompleteTransaction(group, producerId, commit);
        }

        lock (_sync)
        {
            metadata.State = commit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort;
            metadata.Partitions.Clear();
            metadata.Groups.Clear();
            metadata.Completion = null;
            _store.Save(metadata, _transactions.Values);
        }

        TransactionLog.Completed(_logger, metadata.TransactionalId, commit ? "commit" : "abort", partitions.Count, groups.Count);
    }

    private void BeginOrContinue(TransactionMetadata metadata)
    {
        if (metadata.State != TransactionState.Ongoing)
        {
            metadata.State = TransactionState.Ongoing;
            metadata.StartTime = _time.GetUtcNow();
            metadata.Partitions.Clear();
            metadata.Groups.Clear();
        }
    }

    private ErrorCode ValidateForUpdate(string transactionalId, long producerId, short producerEpoch, out TransactionMetadata? metadata)
    {
        var error = ValidateProducer(transactionalId, producerId, producerEpoch, out metadata);
        if (error == ErrorCode.None && metadata!.IsCompleting)
        {
            // The previous commit/abort is still writing markers; the client retries.
            return ErrorCode.ConcurrentTransactions;
        }

        return error;
    }

    private ErrorCode ValidateProducer(string transactionalId, long producerId, short producerEpoch, out TransactionMetadata? metadata)
    {
        if (!_transactions.TryGetValue(transactionalId, out metadata) || metadata.ProducerId != producerId)
        {
            return ErrorCode.InvalidProducerIdMapping;
        }

        return producerEpoch != metadata.ProducerEpoch ? ErrorCode.ProducerFenced : ErrorCode.None;
    }
}

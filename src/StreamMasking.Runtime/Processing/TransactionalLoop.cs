using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Kafka;

namespace StreamMasking.Runtime.Processing;

/// <summary>
/// One consume–transform–produce loop in Kafka transactions (KIP-447 style: one transactional producer per
/// stage instance, fenced through the consumer group metadata sent with the offsets). Runs on a dedicated thread
/// because consumer calls block, and rebalance callbacks run inside <c>Consume</c> on that same thread, so no
/// state here needs locking.
/// </summary>
internal sealed partial class TransactionalLoop : IProcessorContext
{
    private const int MaxOperationAttempts = 10;

    private readonly StageSettings _settings;
    private readonly IKafkaClientFactory _clients;
    private readonly IRecordProcessor _processor;
    private readonly ITransactionParticipant? _participant;
    private readonly IStatefulProcessor? _stateful;
    private readonly ITransactionAuditor? _auditor;
    private readonly RepartitionPurger? _purger;
    private readonly PipelineCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TransactionTally _tally = new();

    // Per partition consumed in the open transaction: first offset (rewind target) and position (commit target).
    private readonly Dictionary<TopicPartition, (long First, long Position)> _offsets = [];

    private IProducer<byte[]?, byte[]?>? _producer;
    private RecordCollector? _collector;
    private IConsumer<byte[]?, byte[]?>? _consumer;
    private bool _inTransaction;
    private long _transactionStarted;
    private int _transactionRecords;

    internal TransactionalLoop(StageSettings settings, IKafkaClientFactory clients, IRecordProcessor processor,
        PipelineCounters counters, ILogger logger, TimeProvider time, ITransactionAuditor? auditor = null,
        RepartitionPurger? purger = null, CatchUpSignal? catchUp = null, TimestampOrderedBuffer? ordering = null)
    {
        _purger = purger;
        _catchUp = catchUp;
        _ordering = ordering;
        _settings = settings;
        _clients = clients;
        _processor = processor;
        _participant = processor as ITransactionParticipant;
        _stateful = processor as IStatefulProcessor;
        _auditor = auditor;
        _counters = counters;
        _logger = logger;
        _time = time;
    }

    internal string Name => _settings.Name;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (graceful) or a stop condition.</summary>
    internal Task RunAsync(CancellationToken cancellationToken) => Task.Factory.StartNew(
        () => Run(cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken cancellationToken)
    {
        _logger.StageStarting(_settings.LoopName, _settings.TransactionalId, _settings.GroupId, string.Join(',', _settings.InputTopics));
        var producer = _clients.CreateTransactionalProducer(_settings.TransactionalId, _settings.LoopName, _settings.TransactionTimeout);
        _producer = producer;
        try
        {
            RunWith(producer, cancellationToken);
        }
        finally
        {
            DisposeProducer(producer);
        }
    }

    private void RunWith(IProducer<byte[]?, byte[]?> producer, CancellationToken cancellationToken)
    {
        // InitTransactions fences any previous incarnation with this transactional id and aborts what it left open.
        Attempt("InitTransactions", () => producer.InitTransactions(_settings.OperationTimeout), onAbort: null);
        _collector = new RecordCollector(producer, _tally, _settings.LoopName, _logger);
        _stateful?.OnStarted(_collector, cancellationToken);
        using var consumer = _clients.CreateConsumer(_settings.GroupId, _settings.GroupInstanceId, _settings.LoopName, b => b
            .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => OnLost(partitions))
            .SetStatisticsHandler((_, json) => _counters.Observer?.OnStatistics(_settings.Name, json)));
        _consumer = consumer;
        consumer.Subscribe(_settings.InputTopics);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Step();
            }

            // Graceful shutdown: every record consumed so far was fully processed, so commit it.
            if (_inTransaction)
            {
                _logger.ShuttingDown(_settings.LoopName, "committing");
                Commit();
            }
        }
        catch (StageStoppedException)
        {
            TryAbortQuietly();
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while a rebalance callback waited (a restore waiting for a stable changelog): a graceful stop.
            TryAbortQuietly();
        }
        finally
        {
            CloseQuietly(consumer);
            _stateful?.OnStopped();
            _logger.StageStopped(_settings.LoopName);
        }
    }

    private void Step()
    {
        var consumer = _consumer!;
        ConsumeResult<byte[]?, byte[]?>? record = null;
        try
        {
            record = NextRecord(consumer);
        }
        catch (ConsumeException e)
        {
            HandleConsumeError(e.Error);
        }

        _counters.Observer?.OnPolled(_settings.Name);
        ReportCatchUp(nothingConsumed: record?.Message is null);

        if (record is not null && record.Message is not null)
        {
            BeginIfNeeded();
            var tp = record.TopicPartition;
            var first = _offsets.TryGetValue(tp, out var seen) ? seen.First : record.Offset.Value;
            // The committed offset is the position (last consumed + 1): the next record to read after a restart.
            _offsets[tp] = (first, record.Offset.Value + 1);
            _tally.AddConsumed();
            _transactionRecords++;
            var processing = _time.GetTimestamp();
            try
            {
                _processor.Process(record, this);
                _counters.Observer?.OnProcessed(_settings.Name, record.Message.Timestamp, _time.GetElapsedTime(processing));
            }
            catch (KafkaException e)
            {
                HandleTransactionError("Produce", e);
                return;
            }
            catch (Exception e) when (e is not StageStoppedException)
            {
                // The exception's message may quote the record: log its type only.
                _logger.ProcessorFailed(_settings.LoopName, e.GetType().Name, record.Topic, record.Partition.Value, record.Offset.Value);
                AbortAndRewind("processor failure", rewind: true);
                return;
            }
        }

        if (_stateful is { PunctuationDue: true } && !Punctuate())
        {
            return;
        }

        if (_inTransaction && (_transactionRecords >= _settings.BatchMaxRecords
            || _time.GetElapsedTime(_transactionStarted) >= _settings.BatchMaxInterval))
        {
            Commit();
        }
    }

    /// <inheritdoc />
    public TransactionTally Tally => _tally;

    // Timer work of a stateful processor, in the open transaction (or a new one). False when it failed and the
    // transaction was aborted.
    private bool Punctuate()
    {
        BeginIfNeeded();
        return InTransaction(() => _stateful!.Punctuate(this), "punctuation failure");
    }

    // Last writes of the transaction: the processor's state, then the audit summary of what the transaction did.
    private bool BeforeCommit() => InTransaction(() =>
    {
        _stateful?.BeforeCommit(this);
        if (_auditor is not null)
        {
            foreach (var summary in _auditor.Summarize(_settings.Name, _tally).ToList())
            {
                Send(summary);
            }
        }
    }, "state flush failure");

    // Work inside the open transaction outside Process: a Kafka error takes the error policy, any other failure
    // aborts and rewinds like a failing processor. False when the transaction was aborted.
    private bool InTransaction(Action work, string cause)
    {
        try
        {
            work();
            return true;
        }
        catch (KafkaException e)
        {
            HandleTransactionError("Produce", e);
            return false;
        }
        catch (Exception e) when (e is not StageStoppedException)
        {
            _logger.PunctuationFailed(_settings.LoopName, e.GetType().Name);
            AbortAndRewind(cause, rewind: true);
            return false;
        }
    }

    /// <inheritdoc />
    public void Send(OutputRecord output)
    {
        if (!_inTransaction)
        {
            throw new InvalidOperationException("Send is only valid while the loop processes a record.");
        }

        _collector!.Send(output);
    }

    private void BeginIfNeeded()
    {
        if (_inTransaction)
        {
            return;
        }

        Attempt("BeginTransaction", () => _producer!.BeginTransaction(), onAbort: null);
        _inTransaction = true;
        _transactionStarted = _time.GetTimestamp();
        _transactionRecords = 0;
    }

    private void Commit()
    {
        if (!_inTransaction)
        {
            return;
        }

        if (!BeforeCommit())
        {
            return;
        }

        var producer = _producer!;
        var consumer = _consumer!;
        var offsets = _offsets.Select(kv => new TopicPartitionOffset(kv.Key, new Offset(kv.Value.Position))).ToList();
        if (offsets.Count == 0)
        {
            // A transaction opened by the timer (releases, idle close) consumed nothing, but it must still be fenced:
            // sending the unchanged positions makes the group coordinator check our generation, so a zombie whose
            // partitions moved on cannot commit releases their new owner makes too.
            offsets = FencingOffsets(consumer);
        }

        var aborted = false;
        var committing = _time.GetTimestamp();
        if (offsets.Count > 0)
        {
            Attempt("SendOffsetsToTransaction",
                () => SendOffsetsWithDeadline(producer, offsets, consumer.ConsumerGroupMetadata),
                onAbort: () => aborted = true);
        }

        if (!aborted)
        {
            Attempt("CommitTransaction", () => producer.CommitTransaction(_settings.OperationTimeout), onAbort: () => aborted = true);
        }

        if (aborted)
        {
            AbortAndRewind("commit failed", rewind: true);
            return;
        }

        _counters.Observer?.OnCommitted(_settings.Name, _tally, _time.GetElapsedTime(committing));
        _counters.ApplyCommitted(_tally, _settings.IsEntryStage);
        _logger.TransactionCommitted(_settings.LoopName, _transactionRecords);
        ResetTransaction();
        _participant?.OnCommitted();
        _purger?.OnCommitted(offsets);
    }

    // The current positions of the assignment, else its committed offsets: re-sent unchanged, only to be fenced.
    private List<TopicPartitionOffset> FencingOffsets(IConsumer<byte[]?, byte[]?> consumer)
    {
        var assignment = consumer.Assignment;
        if (assignment.Count == 0)
        {
            return [];
        }

        var positions = assignment.Select(tp => new TopicPartitionOffset(tp, PositionOf(consumer, tp)))
            .Where(o => o.Offset.Value >= 0).ToList();
        if (positions.Count > 0)
        {
            return positions;
        }

        try
        {
            return consumer.Committed(assignment, _settings.OperationTimeout).Where(o => o.Offset.Value >= 0)
                .ToList();
        }
        catch (KafkaException)
        {
            return [];
        }
    }

    private void AbortAndRewind(string cause, bool rewind)
    {
        if (_inTransaction)
        {
            Attempt("AbortTransaction", () => _producer!.AbortTransaction(_settings.OperationTimeout), onAbort: null);
        }

        if (rewind)
        {
            foreach (var (tp, (first, _)) in _offsets)
            {
                try
                {
                    _consumer!.Seek(new TopicPartitionOffset(tp, new Offset(first)));
                    Rewound(_consumer, tp);
                }
                catch (KafkaException)
                {
                    // Partition no longer assigned: its new owner starts from the committed offset anyway.
                }
            }
        }

        _counters.Observer?.OnAborted(_settings.Name, _tally);
        _counters.CountAbort();
        _logger.TransactionAborted(_settings.LoopName, _transactionRecords, cause);
        ResetTransaction();
        _participant?.OnAborted();
        Thread.Sleep(_settings.RetryBackoff);
    }

    private void ResetTransaction()
    {
        _inTransaction = false;
        _transactionRecords = 0;
        _offsets.Clear();
        _tally.Clear();
    }

    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        _logger.PartitionsRevoked(_settings.LoopName, Describe(partitions));
        _counters.Observer?.OnRebalanced(_settings.Name, RebalanceKind.Revoked, partitions.Count);
        // Commit while the partitions are still ours, so the next owner starts exactly after our last output.
        Commit();
        ForgetBuffered(partitions.Select(p => p.TopicPartition));
        _participant?.OnPartitionsRevoked(partitions.Select(p => p.TopicPartition).ToList());
    }

    private void OnAssigned(List<TopicPartition> partitions)
    {
        _logger.PartitionsAssigned(_settings.LoopName, Describe(partitions));
        _counters.Observer?.OnRebalanced(_settings.Name, RebalanceKind.Assigned, partitions.Count);
        ForgetStartOffsets();
        _ordering?.Assigned(partitions);
        _participant?.OnPartitionsAssigned(partitions);
    }

    private void OnLost(List<TopicPartitionOffset> partitions)
    {
        _logger.PartitionsLost(_settings.LoopName, Describe(partitions));
        _counters.Observer?.OnRebalanced(_settings.Name, RebalanceKind.Lost, partitions.Count);
        // Someone else may already own these partitions: committing could duplicate their work.
        if (_inTransaction)
        {
            AbortAndRewind("partitions lost", rewind: false);
        }

        ForgetBuffered(partitions.Select(p => p.TopicPartition));
        _participant?.OnPartitionsLost(partitions.Select(p => p.TopicPartition).ToList());
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(',', partitions.Select(p => $"{p.Topic}[{p.Partition.Value}]"));

    private static string Describe(IEnumerable<TopicPartitionOffset> partitions) =>
        Describe(partitions.Select(p => p.TopicPartition));
}

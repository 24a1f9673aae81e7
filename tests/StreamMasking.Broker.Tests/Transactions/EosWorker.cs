using System.Collections.Concurrent;
using Confluent.Kafka;
using StreamMasking.Broker.Tests.Groups;

namespace StreamMasking.Broker.Tests.Transactions;

/// <summary>
/// One consume-transform-produce instance like Confluent's ExactlyOnce example: a read_committed group consumer and its
/// own transactional producer; output and input offsets (the consumer's position: last consumed + 1) are committed in
/// one transaction. Revoked partitions commit first; lost partitions and abortable errors abort and rewind.
/// </summary>
internal sealed class EosWorker : IDisposable
{
    private const int MaxRecordsPerTransaction = 20;
    private static readonly TimeSpan MaxTransactionAge = TimeSpan.FromMilliseconds(100);

    private readonly CoordinatorTestBroker _broker;
    private readonly string _groupId;
    private readonly string _input;
    private readonly string _output;
    private readonly ConcurrentDictionary<int, ConcurrentBag<string>> _processedBy;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<TopicPartition, long> _pending = [];
    private Task _loop = Task.CompletedTask;
    private volatile bool _crash;
    private IProducer<string, string>? _producer;
    private IConsumer<string, string>? _consumer;
    private bool _inTransaction;
    private DateTime _transactionStart;

    public EosWorker(string name, CoordinatorTestBroker broker, string groupId, string input, string output, ConcurrentDictionary<int, ConcurrentBag<string>> processedBy)
    {
        Name = name;
        _broker = broker;
        _groupId = groupId;
        _input = input;
        _output = output;
        _processedBy = processedBy;
    }

    public string Name { get; }

    /// <summary>Records consumed in the current (open) transaction; lets a test crash the worker mid-transaction.</summary>
    public int PendingRecords => Volatile.Read(ref _pendingRecords);

    public Exception? Failure { get; private set; }

    private int _pendingRecords;
    private int _assigned;

    /// <summary>Partitions currently assigned to this worker.</summary>
    public int AssignedCount => Volatile.Read(ref _assigned);

    public void Start() => _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);

    /// <summary>True once the worker vanished with a transaction open (records produced, nothing committed).</summary>
    public bool CrashedMidTransaction { get; private set; }

    /// <summary>Simulates a crash: the next consumed record is produced, then both clients vanish without commit or close.</summary>
    public void RequestCrash() => _crash = true;

    /// <summary>Completes when the worker's loop has ended (crash or stop).</summary>
    public Task Completion => _loop;

    /// <summary>Graceful stop: commit what is open, leave the group.</summary>
    public Task StopAsync()
    {
        _stop.Cancel();
        return _loop;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(CoordinatorTestBroker.Timeout);
        _stop.Dispose();
    }

    private void Run()
    {
        try
        {
            _producer = new ProducerBuilder<string, string>(_broker.TransactionalProducerConfig("eos-" + _groupId + "-" + Name, transactionTimeoutMs: 10_000)).Build();
            _producer.InitTransactions(CoordinatorTestBroker.Timeout);
            _consumer = new ConsumerBuilder<string, string>(_broker.ConsumerConfig(_groupId))
                .SetPartitionsAssignedHandler((_, parts) => Interlocked.Add(ref _assigned, parts.Count))
                .SetPartitionsRevokedHandler((_, parts) =>
                {
                    CommitTransaction(rewind: false);
                    Interlocked.Add(ref _assigned, -parts.Count);
                })
                .SetPartitionsLostHandler((_, parts) =>
                {
                    AbortTransaction(rewind: false);
                    Interlocked.Add(ref _assigned, -parts.Count);
                })
                .Build();
            _consumer.Subscribe(_input);
            while (!_stop.IsCancellationRequested)
            {
                var record = _consumer.Consume(TimeSpan.FromMilliseconds(50));
                if (record?.Message is not null)
                {
                    Process(record);
                    if (_crash)
                    {
                        // Vanish: no commit, no abort, no LeaveGroup (the test injects its loss); the broker must time us out.
                        CrashedMidTransaction = _inTransaction;
                        _consumer.Dispose();
                        _producer.Dispose();
                        return;
                    }
                }

                if (_inTransaction && (_pending.Count > 0 && (PendingRecords >= MaxRecordsPerTransaction || DateTime.UtcNow - _transactionStart > MaxTransactionAge)))
                {
                    CommitTransaction(rewind: true);
                }
            }

            CommitTransaction(rewind: false);
            _consumer.Close();
            _consumer.Dispose();
            _producer.Dispose();
        }
#pragma warning disable CA1031 // The test inspects the failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Failure = ex;
        }
    }

    private void Process(ConsumeResult<string, string> record)
    {
        if (!_inTransaction)
        {
            _producer!.BeginTransaction();
            _inTransaction = true;
            _transactionStart = DateTime.UtcNow;
        }

        _producer!.Produce(_output, new Message<string, string> { Key = record.Message.Key, Value = record.Message.Value });
        _pending[record.TopicPartition] = record.Offset.Value + 1;
        Interlocked.Increment(ref _pendingRecords);
        _processedBy.GetOrAdd(record.Partition.Value, _ => []).Add(Name);
    }

    private void CommitTransaction(bool rewind)
    {
        if (!_inTransaction)
        {
            return;
        }

        try
        {
            var offsets = _pending.Select(p => new TopicPartitionOffset(p.Key, p.Value)).ToList();
            _producer!.SendOffsetsToTransaction(offsets, _consumer!.ConsumerGroupMetadata, CoordinatorTestBroker.Timeout);
            _producer.CommitTransaction(CoordinatorTestBroker.Timeout);
            _inTransaction = false;
            _pending.Clear();
            Volatile.Write(ref _pendingRecords, 0);
        }
        catch (KafkaTxnRequiresAbortException)
        {
            // Partitions being revoked are not rewound: their next owner resumes from the committed offsets.
            AbortTransaction(rewind);
        }
    }

    private void AbortTransaction(bool rewind)
    {
        if (!_inTransaction)
        {
            return;
        }

        _producer!.AbortTransaction(CoordinatorTestBroker.Timeout);
        _inTransaction = false;
        _pending.Clear();
        Volatile.Write(ref _pendingRecords, 0);
        if (rewind)
        {
            // The aborted output will be produced again: go back to the last committed position.
            foreach (var committed in _consumer!.Committed(_consumer.Assignment, CoordinatorTestBroker.Timeout))
            {
                _consumer.Seek(committed.Offset == Offset.Unset ? new TopicPartitionOffset(committed.TopicPartition, Offset.Beginning) : committed);
            }
        }
    }
}

using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.Processing;
using StreamMasking.Runtime.State;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.State.Integration;

/// <summary>
/// Plays the pipeline loop's part against a real broker: one transactional producer, the state store manager of
/// one instance (its own state directory), commit/abort in the order the loop uses.
/// </summary>
internal sealed class StateHarness : IDisposable
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly IProducer<byte[]?, byte[]?> _producer;
    private readonly KafkaChangelogReader _reader;
    private readonly TimeSpan _stableChangelogTimeout;
    private readonly ILogger _logger;
    private StateStoreManager? _manager;

    internal StateHarness(KafkaCluster cluster, string applicationId, string stateDirectory, IReadOnlyList<string> stores,
        TimeSpan? stableChangelogTimeout = null, ILogger? logger = null)
    {
        _stableChangelogTimeout = stableChangelogTimeout ?? Timeout;
        _logger = logger ?? NullLogger.Instance;
        ApplicationId = applicationId;
        StateDirectory = stateDirectory;
        Stores = stores;
        _producer = new ProducerBuilder<byte[]?, byte[]?>(cluster.ProducerConfig(c =>
        {
            c.TransactionalId = $"state-test-{Guid.NewGuid():N}";
            c.EnableIdempotence = true;
            c.Acks = Acks.All;
        })).Build();
        _producer.InitTransactions(Timeout);
        Sink = new ProducerChangelogSink(new RecordCollector(_producer, new TransactionTally(), "state-test", NullLogger.Instance));
        _reader = new KafkaChangelogReader(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers }, Timeout);
    }

    internal string ApplicationId { get; }

    internal string StateDirectory { get; }

    internal IReadOnlyList<string> Stores { get; }

    internal ProducerChangelogSink Sink { get; }

    internal RecordingRestoreObserver Observer { get; } = new();

    internal StateStoreManager Manager => _manager ?? throw new InvalidOperationException("Open first.");

    internal IReadOnlyList<StoreRestoreResult> Open(params int[] partitions)
    {
        _manager ??= new StateStoreManager(
            new StateStoreOptions
            {
                StateDirectory = StateDirectory,
                ApplicationId = ApplicationId,
                StableChangelogTimeout = _stableChangelogTimeout,
            },
            Stores, Sink, _reader, Observer, metrics: null, TimeProvider.System, _logger);
        using var cts = new CancellationTokenSource(Timeout * 2);
        return _manager.OpenPartitions(partitions, cts.Token);
    }

    internal IKeyValueStore Store(string name, int partition) => Manager.Get(name, partition);

    internal void Begin() => _producer.BeginTransaction();

    /// <summary>Commits the Kafka transaction without telling the stores (a loop that died right after).</summary>
    internal void CommitKafkaOnly() => _producer.CommitTransaction(Timeout);

    internal void Commit()
    {
        _producer.CommitTransaction(Timeout);
        Manager.OnCommitted();
    }

    /// <summary>
    /// Aborts; with <paramref name="afterDelivery"/> the records are first delivered to the broker (otherwise the
    /// client may purge them from its queue and they never reach the log).
    /// </summary>
    internal void Abort(bool afterDelivery = true)
    {
        if (afterDelivery)
        {
            _producer.Flush(Timeout);
        }

        _producer.AbortTransaction(Timeout);
        Manager.OnAborted();
    }

    /// <summary>Closes all partitions (checkpoints) but keeps the producer, like a revocation.</summary>
    internal void CloseStores()
    {
        _manager?.Dispose();
        _manager = null;
    }

    public void Dispose()
    {
        CloseStores();
        _reader.Dispose();
        _producer.Dispose();
    }
}

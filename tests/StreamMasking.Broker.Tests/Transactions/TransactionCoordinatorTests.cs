using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Broker.Groups;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Tests.Groups;
using StreamMasking.Broker.Transactions;

namespace StreamMasking.Broker.Tests.Transactions;

/// <summary>The transaction coordinator state machine with recorded markers, a manual clock and a temp state directory.</summary>
public sealed class TransactionCoordinatorTests : IDisposable
{
    private const string TxnId = "txn";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingMarkers _markers = new();
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "sm-txn-" + Guid.NewGuid().ToString("N"));
    private GroupCoordinator _groups;
    private TransactionCoordinator _coordinator;

    public TransactionCoordinatorTests() => (_groups, _coordinator) = Create();

    public void Dispose()
    {
        _coordinator.Dispose();
        _groups.Dispose();
        Directory.Delete(_stateDirectory, recursive: true);
    }

    [Fact]
    public async Task InitProducerId_SameTransactionalIdTwice_SameProducerIdNextEpoch()
    {
        var first = await _coordinator.InitProducerIdAsync(TxnId, 60_000, -1, -1);
        var second = await _coordinator.InitProducerIdAsync(TxnId, 60_000, -1, -1);

        first.Error.ShouldBe(ErrorCode.None);
        second.ProducerId.ShouldBe(first.ProducerId);
        second.ProducerEpoch.ShouldBe((short)(first.ProducerEpoch + 1));
        (await _coordinator.InitProducerIdAsync(null, -1, -1, -1)).ProducerId.ShouldNotBe(first.ProducerId);
    }

    [Fact]
    public async Task InitProducerId_TransactionOpen_AbortsWithFencingEpochAndFencesOldProducer()
    {
        var old = await _coordinator.InitProducerIdAsync(TxnId, 60_000, -1, -1);
        _coordinator.AddPartitions(TxnId, old.ProducerId, old.ProducerEpoch, [new("t", 0), new("t", 1)]).ShouldAllBe(e => e == ErrorCode.None);

        var successor = await _coordinator.InitProducerIdAsync(TxnId, 60_000, -1, -1);

        _markers.Written.Select(m => (m.Partition, m.Epoch, m.Commit)).Order().ShouldBe([(0, (short)1, false), (1, (short)1, false)]);
        successor.ProducerEpoch.ShouldBe((short)2);
        _coordinator.AddPartitions(TxnId, old.ProducerId, old.ProducerEpoch, [new("t", 0)]).ShouldBe([ErrorCode.ProducerFenced]);
        (await _coordinator.EndTransactionAsync(TxnId, old.ProducerId, old.ProducerEpoch, commit: true)).ShouldBe(ErrorCode.ProducerFenced);
    }

    [Fact]
    public async Task EndTransaction_Commit_MarkersOnEveryPartitionAndStagedOffsetsCommitted()
    {
        var producer = await _coordinator.InitProducerIdAsync(TxnId, 60_000, -1, -1);
        _coordinator.AddPartitions(TxnId, producer.ProducerId, producer.ProducerEpoch, [new("out", 0), new("out", 2)]);
        _coordinator.AddOffsets(TxnId, producer.ProducerId, producer.ProducerEpoch, "g").ShouldBe(ErrorCode.None);
        _coordinator.ValidateTxnOffsetCommit(TxnId, producer.ProducerId, producer.ProducerEpoch, "g").ShouldBe(ErrorCode.None);
        _groups.StageTransactionalOffsets("g", producer.ProducerId, -1, string.Empty, null, [new(new("in", 0), new CommittedOffset(11, -1, null, 0))]);

        (await _coordinator.EndTransactionAsync(TxnId, producer.ProducerId, producer.ProducerEpoch, commit: true)).ShouldBe(ErrorCode.None);

        _markers.Written.Select(m => (m.Topic, m.Partition, m.Commit)).Order().ShouldBe([("out", 0, true), ("out", 2, true)]);
        _groups.FetchOffsets("g", [new("in", 0)], requireStable: true)[0].Offset.ShouldBe(11);
        (await _coordinator.EndTransactionAsync(TxnId, producer.ProducerId, producer.ProducerEpoch, commit: true)).ShouldBe(ErrorCode.None);
        (await _coordinator.EndTransactionAsync(TxnId, producer.ProducerId, producer.ProducerEpoch, commit: false)).ShouldBe(ErrorCode.InvalidTxnState);
    }

    [Fact]
    public async Task AddPartitions_WhileCommitWritesMarkers_ConcurrentTransactions()
    {
        var producer = await _coordinator.InitProducerIdAsync(TxnId, 60_000, -1, -1);
        _coordinator.AddPartitions(TxnId, producer.ProducerId, producer.ProducerEpoch, [new("t", 0)]);
        _markers.Gate.Reset();

        var commit = _coordinator.EndTransactionAsync(TxnId, producer.ProducerId, producer.ProducerEpoch, commit: true);
        _coordinator.AddPartitions(TxnId, producer.ProducerId, producer.ProducerEpoch, [new("t", 1)]).ShouldBe([ErrorCode.ConcurrentTransactions]);
        (await _coordinator.EndTransactionAsync(TxnId, producer.ProducerId, producer.ProducerEpoch, commit: true)).ShouldBe(ErrorCode.ConcurrentTransactions);
        _markers.Gate.Set();

        (await commit).ShouldBe(ErrorCode.None);
        _coordinator.AddPartitions(TxnId, producer.ProducerId, producer.ProducerEpoch, [new("t", 1)]).ShouldBe([ErrorCode.None]);
    }

    [Fact]
    public async Task AbortTimedOutTransactions_PastTimeout_AbortsAndFences()
    {
        var producer = await _coordinator.InitProducerIdAsync(TxnId, 5_000, -1, -1);
        _coordinator.AddPartitions(TxnId, producer.ProducerId, producer.ProducerEpoch, [new("t", 0)]);
        _clock.Advance(TimeSpan.FromSeconds(4));
        _coordinator.AbortTimedOutTransactions();
        _coordinator.StateOf(TxnId).ShouldBe(TransactionState.Ongoing);

        _clock.Advance(TimeSpan.FromSeconds(2));
        _coordinator.AbortTimedOutTransactions();
        await _coordinator.PendingCompletion(TxnId);

        _coordinator.StateOf(TxnId).ShouldBe(TransactionState.CompleteAbort);
        _markers.Written.ShouldHaveSingleItem().ShouldBe(new MarkerWrite("t", 0, producer.ProducerId, 1, false));
        (await _coordinator.EndTransactionAsync(TxnId, producer.ProducerId, producer.ProducerEpoch, commit: true)).ShouldBe(ErrorCode.ProducerFenced);
    }

    [Fact]
    public async Task Restart_WithStateDirectory_KeepsProducerIdAndNeverReusesIdsOrEpochs()
    {
        var before = await _coordinator.InitProducerIdAsync(TxnId, 60_000, -1, -1);
        var idempotent = await _coordinator.InitProducerIdAsync(null, -1, -1, -1);
        _coordinator.AddPartitions(TxnId, before.ProducerId, before.ProducerEpoch, [new("t", 0)]);
        _coordinator.Dispose();
        _groups.Dispose();

        (_groups, _coordinator) = Create();
        _coordinator.StateOf(TxnId).ShouldBe(TransactionState.Ongoing);
        var after = await _coordinator.InitProducerIdAsync(TxnId, 60_000, -1, -1);
        var freshIdempotent = await _coordinator.InitProducerIdAsync(null, -1, -1, -1);

        after.ProducerId.ShouldBe(before.ProducerId);
        after.ProducerEpoch.ShouldBeGreaterThan(before.ProducerEpoch);
        _markers.Written.ShouldContain(new MarkerWrite("t", 0, before.ProducerId, (short)(before.ProducerEpoch + 1), false));
        freshIdempotent.ProducerId.ShouldNotBeOneOf(before.ProducerId, idempotent.ProducerId);
    }

    [Fact]
    public async Task InitProducerId_EpochExhausted_NewProducerId()
    {
        var old = await _coordinator.InitProducerIdAsync(TxnId, 60_000, -1, -1);
        _coordinator.Dispose();
        _groups.Dispose();
        File.AppendAllText(Path.Combine(_stateDirectory, "transactions.jsonl"),
            $"{{\"Kind\":\"txn\",\"TransactionalId\":\"{TxnId}\",\"ProducerId\":{old.ProducerId},\"ProducerEpoch\":{short.MaxValue - 1},\"TimeoutMs\":60000}}\n");
        (_groups, _coordinator) = Create();

        var next = await _coordinator.InitProducerIdAsync(TxnId, 60_000, -1, -1);

        next.Error.ShouldBe(ErrorCode.None);
        next.ProducerId.ShouldNotBe(old.ProducerId);
        next.ProducerEpoch.ShouldBe((short)0);
    }

    private (GroupCoordinator, TransactionCoordinator) Create()
    {
        var catalog = new AllPartitionsExist();
        var groups = new GroupCoordinator(new GroupCoordinatorOptions { ExpirationCheckIntervalMs = 3_600_000 }, new GroupOffsetStore(_stateDirectory), catalog, _clock, NullLogger.Instance);
        var transactions = new TransactionCoordinator(
            new TransactionCoordinatorOptions { TimeoutCheckIntervalMs = 3_600_000 }, new TransactionStateStore(_stateDirectory), _markers, groups, catalog, _clock, NullLogger.Instance);
        return (groups, transactions);
    }

    private sealed record MarkerWrite(string Topic, int Partition, long ProducerId, short Epoch, bool Commit);

    private sealed class RecordingMarkers : ITransactionMarkerWriter
    {
        private readonly ConcurrentQueue<MarkerWrite> _written = new();

        public ManualResetEventSlim Gate { get; } = new(initialState: true);

        public IReadOnlyList<MarkerWrite> Written => _written.ToList();

        public ErrorCode WriteMarker(string topic, int partition, long producerId, short producerEpoch, bool commit)
        {
            Gate.Wait(TimeSpan.FromSeconds(30));
            _written.Enqueue(new MarkerWrite(topic, partition, producerId, producerEpoch, commit));
            return ErrorCode.None;
        }
    }

    private sealed class AllPartitionsExist : IPartitionCatalog
    {
        public bool PartitionExists(string topic, int partition) => true;
    }
}

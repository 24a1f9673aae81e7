using Confluent.Kafka;
using StreamMasking.Runtime.State;
using StreamMasking.Runtime.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.State.Integration;

/// <summary>
/// A former owner frozen (SIGSTOP, GC pause, network partition) with a transaction open on the changelog, and later
/// owners that committed behind it: the next owner must restore every committed write, not stop at the LSO.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class FrozenOwnerRestoreIntegrationTests : IDisposable
{
    private const string Ledger = "ledger";

    private readonly KafkaCluster _cluster;
    private readonly TempDirectory _dirA = new();
    private readonly TempDirectory _dirB = new();
    private readonly string _applicationId = $"frozen-it-{Guid.NewGuid():N}";

    public FrozenOwnerRestoreIntegrationTests(KafkaCluster cluster) => _cluster = cluster;

    private string Changelog => ChangelogTopics.NameFor(_applicationId, Ledger);

    [Fact]
    public async Task Restore_FrozenOwnerAbortedByBrokerTimeout_RestoresLaterOwnersCommittedWrites()
    {
        await ProvisionAsync();
        await CommitFirstOwnerAsync();
        // Frozen with its transaction open; the broker aborts it when its (short) timeout expires.
        using var frozen = OpenTransaction("a", "frozen", transactionTimeoutMs: 3000);
        await CommitLaterOwnerAsync();

        using var next = new StateHarness(_cluster, _applicationId, _dirB.Path, [Ledger]);
        var ledger = next.Open(0).Single();

        Bytes.Texts(next.Store(Ledger, 0).Range(KeyRange.All)).ShouldBe([("a", "3"), ("b", "2")]);
        ledger.EndOffset.ShouldBe(HighWatermark());
    }

    [Fact]
    public async Task Restore_FrozenOwnerCommitsWhileRestoreWaits_RestoresItsWritesAndLaterOnes()
    {
        await ProvisionAsync();
        await CommitFirstOwnerAsync();
        using var frozen = OpenTransaction("z", "late", transactionTimeoutMs: 120_000);
        await CommitLaterOwnerAsync();
        using var logs = new CapturingLoggerProvider();
        using var loggers = logs.CreateFactory();

        using var next = new StateHarness(_cluster, _applicationId, _dirB.Path, [Ledger], logger: loggers.CreateLogger("restore"));
        var opening = Task.Run(() => next.Open(0));
        await WaitForAsync(() => logs.Lines.Any(l => l.Contains("waits before restoring", StringComparison.Ordinal)) || opening.IsCompleted);
        opening.IsCompleted.ShouldBeFalse("the restore must wait for the open transaction");
        frozen.CommitTransaction(StateHarness.Timeout);
        await opening;

        Bytes.Texts(next.Store(Ledger, 0).Range(KeyRange.All)).ShouldBe([("a", "3"), ("b", "2"), ("z", "late")]);
    }

    [Fact]
    public async Task Restore_TransactionOpenBeyondBound_RefusesToOpenTheStore()
    {
        await ProvisionAsync();
        await CommitFirstOwnerAsync();
        using var frozen = OpenTransaction("a", "frozen", transactionTimeoutMs: 120_000);

        using var next = new StateHarness(_cluster, _applicationId, _dirB.Path, [Ledger], stableChangelogTimeout: TimeSpan.FromSeconds(1));
        var refused = Should.Throw<ChangelogUnstableException>(() => next.Open(0));

        refused.Topic.ShouldBe(Changelog);
        refused.Offsets.StableEnd.ShouldBeLessThan(refused.Offsets.HighWatermark);
        frozen.AbortTransaction(StateHarness.Timeout);
    }

    public void Dispose()
    {
        _dirA.Dispose();
        _dirB.Dispose();
    }

    private async Task CommitFirstOwnerAsync()
    {
        using var first = new StateHarness(_cluster, _applicationId, _dirA.Path, [Ledger]);
        first.Open(0);
        first.Begin();
        first.Store(Ledger, 0).Put(Bytes.Of("a"), Bytes.Of("1"));
        first.Commit();
        await Task.CompletedTask;
    }

    // A later owner that committed behind the frozen transaction (its writes sit above the LSO).
    private async Task CommitLaterOwnerAsync()
    {
        using var later = TransactionalProducer(60_000);
        later.BeginTransaction();
        await later.ProduceAsync(new TopicPartition(Changelog, 0), new Message<byte[]?, byte[]?> { Key = Bytes.Of("b"), Value = Bytes.Of("2") });
        await later.ProduceAsync(new TopicPartition(Changelog, 0), new Message<byte[]?, byte[]?> { Key = Bytes.Of("a"), Value = Bytes.Of("3") });
        later.CommitTransaction(StateHarness.Timeout);
    }

    private IProducer<byte[]?, byte[]?> OpenTransaction(string key, string value, int transactionTimeoutMs)
    {
        var producer = TransactionalProducer(transactionTimeoutMs);
        producer.BeginTransaction();
        producer.ProduceAsync(new TopicPartition(Changelog, 0), new Message<byte[]?, byte[]?> { Key = Bytes.Of(key), Value = Bytes.Of(value) })
            .GetAwaiter().GetResult();
        return producer;
    }

    private IProducer<byte[]?, byte[]?> TransactionalProducer(int transactionTimeoutMs)
    {
        var producer = new ProducerBuilder<byte[]?, byte[]?>(_cluster.ProducerConfig(c =>
        {
            c.TransactionalId = $"owner-{Guid.NewGuid():N}";
            c.EnableIdempotence = true;
            c.TransactionTimeoutMs = transactionTimeoutMs;
            c.MessageTimeoutMs = Math.Min(60_000, transactionTimeoutMs);
        })).Build();
        producer.InitTransactions(StateHarness.Timeout);
        return producer;
    }

    private long HighWatermark()
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "hw-probe",
            IsolationLevel = IsolationLevel.ReadUncommitted,
        }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(Changelog, 0), StateHarness.Timeout).High.Value;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + StateHarness.Timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        condition().ShouldBeTrue();
    }

    private async Task ProvisionAsync()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        await ChangelogTopicProvisioner.EnsureAsync(admin, [Changelog], 1, -1, StateHarness.Timeout);
    }
}

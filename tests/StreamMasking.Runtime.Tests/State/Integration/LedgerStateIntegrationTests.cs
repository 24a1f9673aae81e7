using StreamMasking.Privacy.Accounting;
using StreamMasking.Runtime.State;
using StreamMasking.Testing;

namespace StreamMasking.Runtime.Tests.State.Integration;

/// <summary>
/// The privacy budget ledger kept in a changelogged store, as issue 5 will use it: debits committed with their
/// transaction survive losing the state directory; a debit whose transaction aborted is gone with the release it
/// would have paid for; replaying a paid release charges nothing.
/// </summary>
[Collection(KafkaCluster.Collection)]
public sealed class LedgerStateIntegrationTests : IDisposable
{
    private const string Ledgers = "ledgers";
    private static readonly byte[] SegmentKey = Bytes.Of("clinic-a.eu.visits");

    private readonly KafkaCluster _cluster;
    private readonly TempDirectory _dir = new();
    private readonly string _applicationId = $"ledger-it-{Guid.NewGuid():N}";

    public LedgerStateIntegrationTests(KafkaCluster cluster)
    {
        _cluster = cluster;
    }

    [Fact]
    public async Task Ledger_CommittedAndAbortedDebits_RestoreOnlyCommittedAndReplayChargesNothing()
    {
        using (var admin = new Confluent.Kafka.AdminClientBuilder(
            new Confluent.Kafka.AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build())
        {
            await ChangelogTopicProvisioner.EnsureAsync(admin, [ChangelogTopics.NameFor(_applicationId, Ledgers)], 1, -1,
                StateHarness.Timeout);
        }

        var countRelease = new ReleaseKey(1, "count");
        using (var instance = Harness())
        {
            instance.Open(0);
            var ledger = NewLedger();

            instance.Begin();
            ledger.TryDebit(countRelease, Cost(0.5)).Outcome.ShouldBe(DebitOutcome.Debited);
            instance.Store(Ledgers, 0).Put(SegmentKey, ledger.ToBytes());
            instance.Commit();

            instance.Begin();
            var inFlight = BudgetLedger.FromBytes(instance.Store(Ledgers, 0).Get(SegmentKey));
            inFlight.TryDebit(new ReleaseKey(1, "sum"), Cost(0.25)).Outcome.ShouldBe(DebitOutcome.Debited);
            instance.Store(Ledgers, 0).Put(SegmentKey, inFlight.ToBytes());
            instance.Abort();
        }

        Directory.Delete(_dir.Path, recursive: true);

        using var restarted = Harness();
        restarted.Open(0);
        var restored = BudgetLedger.FromBytes(restarted.Store(Ledgers, 0).Get(SegmentKey));

        restored.LifetimeSpend.Count.ShouldBe(1);
        restored.LifetimeSpend.Epsilon.ShouldBe(new Epsilon(0.5));
        restored.FindDebit(new ReleaseKey(1, "sum")).ShouldBeNull();
        restored.TryDebit(countRelease, Cost(0.5)).Outcome.ShouldBe(DebitOutcome.AlreadyDebited);
        restored.LifetimeSpend.Count.ShouldBe(1);
    }

    public void Dispose() => _dir.Dispose();

    private static BudgetLedger NewLedger() =>
        new(BasicCompositionAccountant.Instance, Cost(1.0), Cost(3.0), retainedWindows: 4);

    private static PrivacyCost Cost(double epsilon) => PrivacyCost.Pure(new Epsilon(epsilon));

    private StateHarness Harness() => new(_cluster, _applicationId, _dir.Path, [Ledgers]);
}

using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

/// <summary>A restore waits for a transaction left open on its changelog (in-memory changelog, no Kafka).</summary>
public sealed class ChangelogStabilityTests : IDisposable
{
    private const string Ledger = "ledger";
    private const string Topic = "app-ledger-changelog";
    private readonly TempDirectory _dir = new();
    private readonly InMemoryChangelog _changelog = new();

    [Fact]
    public void OpenPartitions_TransactionOpenUntilThirdQuery_WaitsAndRestoresItsCommittedWrites()
    {
        _changelog.Send(Topic, 0, Bytes.Of("a"), Bytes.Of("1"));
        _changelog.Commit();
        // A former owner froze with its transaction open; it commits while the new owner waits.
        _changelog.Send(Topic, 0, Bytes.Of("b"), Bytes.Of("2"));
        _changelog.BeforeGetOffsets = query =>
        {
            if (query == 3)
            {
                _changelog.Commit();
            }
        };

        using var stores = Manager(TimeSpan.FromMinutes(5));
        stores.OpenPartitions([0], CancellationToken.None);

        Bytes.Texts(stores.Get(Ledger, 0).Range(KeyRange.All)).ShouldBe([("a", "1"), ("b", "2")]);
        _changelog.OffsetQueries.ShouldBe(3);
    }

    [Fact]
    public void OpenPartitions_TransactionOpenBeyondBound_RefusesAndOpensNothing()
    {
        _changelog.Send(Topic, 0, Bytes.Of("a"), Bytes.Of("1"));
        _changelog.Commit();
        _changelog.Send(Topic, 0, Bytes.Of("open"), Bytes.Of("x"));

        using var stores = Manager(TimeSpan.Zero);
        var refused = Should.Throw<ChangelogUnstableException>(() => stores.OpenPartitions([0], CancellationToken.None));

        refused.Offsets.ShouldBe(new ChangelogOffsets(0, 2, 3));
        refused.Message.ShouldContain($"{Topic}[0]");
        stores.Partitions.ShouldBeEmpty();
    }

    [Fact]
    public void OpenPartitions_NoTransactionOpen_QueriesOnce()
    {
        _changelog.Send(Topic, 0, Bytes.Of("a"), Bytes.Of("1"));
        _changelog.Commit();

        using var stores = Manager(TimeSpan.Zero);
        stores.OpenPartitions([0], CancellationToken.None);

        _changelog.OffsetQueries.ShouldBe(1);
        Bytes.Text(stores.Get(Ledger, 0).Get(Bytes.Of("a"))).ShouldBe("1");
    }

    public void Dispose() => _dir.Dispose();

    private StateStoreManager Manager(TimeSpan stableTimeout) => new(
        new StateStoreOptions { StateDirectory = _dir.Path, ApplicationId = "app", StableChangelogTimeout = stableTimeout },
        [Ledger], _changelog, _changelog, observer: null, metrics: null, TimeProvider.System, NullLogger.Instance);
}

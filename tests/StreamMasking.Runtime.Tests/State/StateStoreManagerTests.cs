using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Runtime.Diagnostics;
using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

/// <summary>The store lifecycle against an in-memory transactional changelog (no Kafka).</summary>
public sealed class StateStoreManagerTests : IDisposable
{
    private const string Ledger = "ledger";
    private const string Windows = "windows";
    private readonly TempDirectory _dir = new();
    private readonly InMemoryChangelog _changelog = new();
    private readonly RecordingRestoreObserver _observer = new();
    private readonly CountingMetrics _metrics = new();

    [Fact]
    public void CommittedWrites_StateDirectoryDeleted_RestoreIdentically()
    {
        using (var stores = Open(0))
        {
            var ledger = stores.Get(Ledger, 0);
            ledger.Put(Bytes.Of("a"), Bytes.Of("1"));
            ledger.Put(Bytes.Of("b"), Bytes.Of("2"));
            Commit(stores);
        }

        Directory.Delete(_dir.Path, recursive: true);

        using var restored = Open(0);
        Bytes.Texts(restored.Get(Ledger, 0).Range(KeyRange.All)).ShouldBe([("a", "1"), ("b", "2")]);
        _observer.Completed.Last(r => r.Store == Ledger).ShouldSatisfyAllConditions(
            r => r.FromScratch.ShouldBeTrue(),
            r => r.RecordsRestored.ShouldBe(2));
    }

    [Fact]
    public void AbortedWrites_NotInLocalStateAndNotRestored()
    {
        using (var stores = Open(0))
        {
            var ledger = stores.Get(Ledger, 0);
            ledger.Put(Bytes.Of("kept"), Bytes.Of("1"));
            Commit(stores);
            ledger.Put(Bytes.Of("aborted"), Bytes.Of("2"));
            ledger.Delete(Bytes.Of("kept"));
            Abort(stores);

            ledger.Get(Bytes.Of("aborted")).ShouldBeNull();
            Bytes.Text(ledger.Get(Bytes.Of("kept"))).ShouldBe("1");
        }

        Directory.Delete(_dir.Path, recursive: true);

        using var restored = Open(0);
        Bytes.Texts(restored.Get(Ledger, 0).Range(KeyRange.All)).ShouldBe([("kept", "1")]);
    }

    [Fact]
    public void Reopen_WithCheckpoint_ReadsOnlyTheTail()
    {
        using (var stores = Open(0))
        {
            for (var i = 0; i < 10; i++)
            {
                stores.Get(Ledger, 0).Put(Bytes.Of($"k{i:D2}"), Bytes.Of("old"));
            }

            Commit(stores);
        }

        // Another owner (its own state directory) catches up and adds three records while we do not own the partition.
        using (var otherDir = new TempDirectory())
        using (var other = Open(0, otherDir.Path))
        {
            for (var i = 10; i < 13; i++)
            {
                other.Get(Ledger, 0).Put(Bytes.Of($"k{i:D2}"), Bytes.Of("new"));
            }

            Commit(other);
        }

        var readBefore = _changelog.RecordsRead;
        using var reopened = Open(0);

        (_changelog.RecordsRead - readBefore).ShouldBe(3);
        var ledgerResult = _observer.Completed.Last(r => r.Store == Ledger);
        ledgerResult.FromScratch.ShouldBeFalse();
        ledgerResult.RecordsRestored.ShouldBe(3);
        reopened.Get(Ledger, 0).Range(KeyRange.All).Count().ShouldBe(13);
    }

    [Fact]
    public void Tombstone_Committed_DeletesLocallyAndAfterRestore()
    {
        using (var stores = Open(0))
        {
            stores.Get(Ledger, 0).Put(Bytes.Of("a"), Bytes.Of("1"));
            stores.Get(Ledger, 0).Put(Bytes.Of("b"), Bytes.Of("2"));
            Commit(stores);
            stores.Get(Ledger, 0).Delete(Bytes.Of("a"));
            Commit(stores);
            stores.Get(Ledger, 0).Get(Bytes.Of("a")).ShouldBeNull();
        }

        Directory.Delete(_dir.Path, recursive: true);

        using var restored = Open(0);
        Bytes.Texts(restored.Get(Ledger, 0).Range(KeyRange.All)).ShouldBe([("b", "2")]);
    }

    [Fact]
    public void StoresAndPartitions_WrittenSeparately_AreIsolated()
    {
        using (var stores = Open(0, 1))
        {
            stores.Get(Ledger, 0).Put(Bytes.Of("k"), Bytes.Of("ledger-0"));
            stores.Get(Ledger, 1).Put(Bytes.Of("k"), Bytes.Of("ledger-1"));
            stores.Get(Windows, 0).Put(Bytes.Of("k"), Bytes.Of("windows-0"));
            Commit(stores);
        }

        Directory.Delete(_dir.Path, recursive: true);

        using var restored = Open(0, 1);
        Bytes.Text(restored.Get(Ledger, 0).Get(Bytes.Of("k"))).ShouldBe("ledger-0");
        Bytes.Text(restored.Get(Ledger, 1).Get(Bytes.Of("k"))).ShouldBe("ledger-1");
        Bytes.Text(restored.Get(Windows, 0).Get(Bytes.Of("k"))).ShouldBe("windows-0");
        restored.Get(Windows, 1).Get(Bytes.Of("k")).ShouldBeNull();
    }

    [Fact]
    public void Reopen_CheckpointBeyondChangelogEnd_WipesAndRestoresFromScratch()
    {
        using (var stores = Open(0))
        {
            stores.Get(Ledger, 0).Put(Bytes.Of("stale"), Bytes.Of("1"));
            Commit(stores);
        }

        _changelog.Recreate("app-ledger-changelog", 0);

        using var reopened = Open(0);
        reopened.Get(Ledger, 0).Get(Bytes.Of("stale")).ShouldBeNull();
        _observer.Completed.Last(r => r.Store == Ledger).FromScratch.ShouldBeTrue();
    }

    [Fact]
    public void Close_WithUnresolvedTransaction_RemovesCheckpointSoNextOpenRestoresFully()
    {
        using (var stores = Open(0))
        {
            stores.Get(Ledger, 0).Put(Bytes.Of("a"), Bytes.Of("1"));
            Commit(stores);
            stores.Get(Ledger, 0).Put(Bytes.Of("b"), Bytes.Of("2"));
        }

        // The outcome was commit after all: a full restore must pick it up.
        _changelog.Commit();

        using var reopened = Open(0);
        Bytes.Texts(reopened.Get(Ledger, 0).Range(KeyRange.All)).ShouldBe([("a", "1"), ("b", "2")]);
        _observer.Completed.Last(r => r.Store == Ledger).FromScratch.ShouldBeTrue();
    }

    [Fact]
    public void OpenPartitions_SameDirectoryTwice_SecondInstanceFailsWithLock()
    {
        using var first = Open(0);

        Should.Throw<StateDirectoryLockedException>(() => Open([0], _dir.Path, lockWait: TimeSpan.Zero));
    }

    [Fact]
    public void OpenPartitions_PreviousOwnerClosesWhileWaiting_Succeeds()
    {
        var first = Open(0);
        first.Get(Ledger, 0).Put(Bytes.Of("a"), Bytes.Of("1"));
        Commit(first);
        using var closer = Task.Run(async () =>
        {
            await Task.Delay(300);
            first.Dispose();
        });

        using var second = Open([0], _dir.Path, lockWait: TimeSpan.FromSeconds(60));

        Bytes.Text(second.Get(Ledger, 0).Get(Bytes.Of("a"))).ShouldBe("1");
    }

    [Fact]
    public void Reopen_CorruptLocalDatabase_WipesAndRestores()
    {
        using (var stores = Open(0))
        {
            stores.Get(Ledger, 0).Put(Bytes.Of("a"), Bytes.Of("1"));
            Commit(stores);
        }

        var database = Path.Combine(_dir.Path, "app", "ledger-0", "rocksdb");
        File.WriteAllText(Path.Combine(database, "CURRENT"), "garbage\n");

        using var reopened = Open(0);
        Bytes.Text(reopened.Get(Ledger, 0).Get(Bytes.Of("a"))).ShouldBe("1");
        _observer.Completed.Last(r => r.Store == Ledger).FromScratch.ShouldBeTrue();
    }

    [Theory]
    [InlineData("", "app", 1)]
    [InlineData("dir", "..", 1)]
    [InlineData("dir", "a/b", 1)]
    [InlineData("dir", "app", 0)]
    public void Create_InvalidOptions_Throws(string stateDirectory, string applicationId, int checkpointAfter)
    {
        var options = new StateStoreOptions
        {
            StateDirectory = stateDirectory,
            ApplicationId = applicationId,
            CheckpointAfterRecords = checkpointAfter,
        };

        Should.Throw<ArgumentException>(() => new StateStoreManager(options, [Ledger], _changelog, _changelog, null, null,
            TimeProvider.System, NullLogger.Instance));
    }

    [Fact]
    public void Commit_BeyondThreshold_WritesCheckpointWithoutClose()
    {
        using var stores = Open(0);
        var checkpoint = Path.Combine(_dir.Path, "app", "ledger-0", "ledger.checkpoint");
        StateCheckpoint.TryRead(checkpoint, "app-ledger-changelog", 0).ShouldBe(0);

        for (var i = 0; i < 3; i++)
        {
            stores.Get(Ledger, 0).Put(Bytes.Of($"k{i}"), Bytes.Of("v"));
        }

        Commit(stores);

        // Threshold is 3 records in these tests; offsets 0..2 are records, the checkpoint points after them.
        StateCheckpoint.TryRead(checkpoint, "app-ledger-changelog", 0).ShouldBe(3);
    }

    [Fact]
    public void Operations_ThroughManager_AreMetered()
    {
        using var stores = Open(0);
        var ledger = stores.Get(Ledger, 0);

        ledger.Put(Bytes.Of("a"), Bytes.Of("1"));
        ledger.Get(Bytes.Of("a"));
        ledger.Delete(Bytes.Of("a"));
        _ = ledger.Range(KeyRange.All).ToList();

        _metrics.Counts.ShouldBe(new Dictionary<(string, StoreOperation), int>
        {
            [(Ledger, StoreOperation.Put)] = 1,
            [(Ledger, StoreOperation.Get)] = 1,
            [(Ledger, StoreOperation.Delete)] = 1,
            [(Ledger, StoreOperation.Range)] = 1,
        }, ignoreOrder: true);
    }

    [Fact]
    public void Get_PartitionNotOpen_Throws()
    {
        using var stores = Open(0);

        Should.Throw<InvalidOperationException>(() => stores.Get(Ledger, 1));
    }

    public void Dispose() => _dir.Dispose();

    private StateStoreManager Open(params int[] partitions) => Open(partitions, _dir.Path);

    private StateStoreManager Open(int partition, string stateDirectory) => Open([partition], stateDirectory);

    private StateStoreManager Open(int[] partitions, string stateDirectory, TimeSpan? lockWait = null)
    {
        var options = new StateStoreOptions
        {
            StateDirectory = stateDirectory,
            ApplicationId = "app",
            CheckpointAfterRecords = 3,
            LockWaitTimeout = lockWait ?? TimeSpan.Zero,
        };
        var manager = new StateStoreManager(options, [Ledger, Windows], _changelog, _changelog, _observer, _metrics,
            TimeProvider.System, NullLogger.Instance);
        try
        {
            manager.OpenPartitions(partitions, CancellationToken.None);
            return manager;
        }
        catch
        {
            manager.Dispose();
            throw;
        }
    }

    private void Commit(StateStoreManager stores)
    {
        _changelog.Commit();
        stores.OnCommitted();
    }

    private void Abort(StateStoreManager stores)
    {
        _changelog.Abort();
        stores.OnAborted();
    }
}

using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

public sealed class StoreDirectoryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Acquire_Layout_IsAppIdThenStoreDashPartition()
    {
        using var directory = StoreDirectory.Acquire(_dir.Path, "app", "ledger", 7);

        directory.Path.ShouldBe(Path.Combine(_dir.Path, "app", "ledger-7"));
        directory.CheckpointPath.ShouldBe(Path.Combine(_dir.Path, "app", "ledger-7", "ledger.checkpoint"));
        directory.DatabasePath.ShouldStartWith(directory.Path);
    }

    [Fact]
    public void Acquire_WhileHeld_ThrowsLocked()
    {
        using var first = StoreDirectory.Acquire(_dir.Path, "app", "ledger", 0);

        Should.Throw<StateDirectoryLockedException>(() => StoreDirectory.Acquire(_dir.Path, "app", "ledger", 0));
    }

    [Fact]
    public void Acquire_AfterRelease_Succeeds()
    {
        StoreDirectory.Acquire(_dir.Path, "app", "ledger", 0).Dispose();

        using var again = StoreDirectory.Acquire(_dir.Path, "app", "ledger", 0);
        again.ShouldNotBeNull();
    }

    [Fact]
    public void Acquire_OtherPartitionOrStore_DoesNotConflict()
    {
        using var a = StoreDirectory.Acquire(_dir.Path, "app", "ledger", 0);
        using var b = StoreDirectory.Acquire(_dir.Path, "app", "ledger", 1);
        using var c = StoreDirectory.Acquire(_dir.Path, "app", "windows", 0);

        new[] { a.Path, b.Path, c.Path }.Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public void Wipe_WithDataAndCheckpoint_RemovesBothKeepsLock()
    {
        using var directory = StoreDirectory.Acquire(_dir.Path, "app", "ledger", 0);
        Directory.CreateDirectory(directory.DatabasePath);
        File.WriteAllText(Path.Combine(directory.DatabasePath, "x"), "data");
        StateCheckpoint.Write(directory.CheckpointPath, "t", 0, 1);

        directory.Wipe();

        Directory.Exists(directory.DatabasePath).ShouldBeFalse();
        File.Exists(directory.CheckpointPath).ShouldBeFalse();
        Should.Throw<StateDirectoryLockedException>(() => StoreDirectory.Acquire(_dir.Path, "app", "ledger", 0));
    }

    public void Dispose() => _dir.Dispose();
}

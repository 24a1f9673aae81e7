using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

public sealed class StateCheckpointTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string PathOf => Path.Combine(_dir.Path, "s.checkpoint");

    [Fact]
    public void Write_ThenTryRead_ReturnsOffset()
    {
        StateCheckpoint.Write(PathOf, "app-s-changelog", 3, 1234);

        StateCheckpoint.TryRead(PathOf, "app-s-changelog", 3).ShouldBe(1234);
        File.Exists(PathOf + ".tmp").ShouldBeFalse();
    }

    [Fact]
    public void TryRead_Missing_ReturnsNull()
    {
        StateCheckpoint.TryRead(PathOf, "app-s-changelog", 0).ShouldBeNull();
        StateCheckpoint.TryRead(Path.Combine(_dir.Path, "nope", "x.checkpoint"), "t", 0).ShouldBeNull();
    }

    [Theory]
    [InlineData("other-changelog", 3)]
    [InlineData("app-s-changelog", 4)]
    public void TryRead_OtherTopicOrPartition_ReturnsNull(string topic, int partition)
    {
        StateCheckpoint.Write(PathOf, "app-s-changelog", 3, 10);

        StateCheckpoint.TryRead(PathOf, topic, partition).ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("0\n")]
    [InlineData("1\napp-s-changelog 0 5\n")]
    [InlineData("0\napp-s-changelog 0 -5\n")]
    [InlineData("0\napp-s-changelog 0 5 6\n")]
    [InlineData("0\napp-s-changelog 0 five\n")]
    public void TryRead_Malformed_ReturnsNull(string content)
    {
        File.WriteAllText(PathOf, content);

        StateCheckpoint.TryRead(PathOf, "app-s-changelog", 0).ShouldBeNull();
    }

    public void Dispose() => _dir.Dispose();
}

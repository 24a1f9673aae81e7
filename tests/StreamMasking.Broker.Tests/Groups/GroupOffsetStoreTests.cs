using StreamMasking.Broker.Groups;

namespace StreamMasking.Broker.Tests.Groups;

/// <summary>The durable offset journal: reload, torn tails, compaction.</summary>
public sealed class GroupOffsetStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sm-offsets-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Reopen_AfterCommitsStagingAndTornTail_KeepsEverythingAcknowledged()
    {
        using (var store = new GroupOffsetStore(_directory))
        {
            store.Commit("g", [Offset("t", 0, 10), Offset("t", 1, 20)]);
            store.Stage("g", producerId: 7, [Offset("t", 0, 15)]);
            store.Stage("g", producerId: 8, [Offset("t", 1, 25)]);
            store.CompleteTransaction("g", 8, commit: true);
        }

        // A crash in the middle of an append leaves half a line behind.
        File.AppendAllText(Path.Combine(_directory, "group-offsets.jsonl"), "{\"Kind\":\"offset\",\"Gro");

        using var reopened = new GroupOffsetStore(_directory);
        reopened.Get("g", new("t", 0))!.Offset.ShouldBe(10);
        reopened.Get("g", new("t", 1))!.Offset.ShouldBe(25);
        reopened.HasPending("g", new("t", 0)).ShouldBeTrue();
        reopened.CompleteTransaction("g", 7, commit: true);
        reopened.Get("g", new("t", 0))!.Offset.ShouldBe(15);
    }

    [Fact]
    public void Commit_ManyTimes_JournalIsCompactedToLiveState()
    {
        using (var store = new GroupOffsetStore(_directory))
        {
            for (var i = 0; i < 25_000; i++)
            {
                store.Commit("g", [Offset("t", i % 3, i)]);
            }
        }

        File.ReadLines(Path.Combine(_directory, "group-offsets.jsonl")).Count().ShouldBeLessThan(11_000);
        using var reopened = new GroupOffsetStore(_directory);
        reopened.Get("g", new("t", 0))!.Offset.ShouldBe(24_999);
        reopened.Get("g", new("t", 2))!.Offset.ShouldBe(24_998);
    }

    private static KeyValuePair<TopicPartitionKey, CommittedOffset> Offset(string topic, int partition, long offset) =>
        new(new TopicPartitionKey(topic, partition), new CommittedOffset(offset, -1, null, 0));
}

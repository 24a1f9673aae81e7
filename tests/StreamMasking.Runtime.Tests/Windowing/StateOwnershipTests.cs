using System.Text;
using StreamMasking.Runtime.State;
using StreamMasking.Runtime.Tests.State;
using StreamMasking.Runtime.Windowing;

namespace StreamMasking.Runtime.Tests.Windowing;

/// <summary>The ownership rule of the DP state on a real RocksDB store: which layouts and records stop the stage.</summary>
public sealed class StateOwnershipTests : IDisposable
{
    private const string Topic = "in";
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_KafkaReferenceVectors_Match(string key, int expected) =>
        SegmentPartitioner.Murmur2(Encoding.UTF8.GetBytes(key)).ShouldBe(expected);

    [Fact]
    public void CheckLayout_ChangelogKeptForOtherCount_NamesTopicAndMovedSegment()
    {
        var segment = MovingSegment(3, 5);
        var ownership = new StateOwnership(Topic, "app-dp-state-changelog", [segment]);

        var violation = ownership.CheckLayout(inputPartitions: 5, changelogPartitions: 3).ShouldNotBeNull();

        violation.Code.ShouldBe(OwnershipViolation.PartitionCountChanged);
        violation.Segment.ShouldBe(segment);
        violation.Message.ShouldContain($"Topic '{Topic}' has 5 partitions");
        violation.Message.ShouldContain($"'{segment}' (partition {SegmentPartitioner.PartitionOf(segment, 3)} -> {SegmentPartitioner.PartitionOf(segment, 5)})");
        ownership.CheckLayout(3, 3).ShouldBeNull();
        ownership.CheckLayout(-1, 3).ShouldNotBeNull().Code.ShouldBe(OwnershipViolation.Unverifiable);
    }

    [Fact]
    public void CheckStore_RecordOfOtherPartitionCount_StopsNamingSegment()
    {
        const string segment = "visits";
        var ownership = Ownership(segment, partitions: 4);
        var home = SegmentPartitioner.PartitionOf(segment, 4);
        using var store = RocksDbKeyValueStore.Open("s", home, _dir.Path);
        store.Put(StateKeys.Owner(segment), new OwnershipRecord(Topic, home, 3).ToBytes());

        var violation = ownership.CheckStore(store, home, [segment]).ShouldNotBeNull();

        violation.Code.ShouldBe(OwnershipViolation.PartitionCountChanged);
        violation.Message.ShouldContain("segment 'visits'");
        violation.Message.ShouldContain("'in' has 4 partitions");
    }

    [Fact]
    public void CheckStore_RecordOfOtherPartitionOrTopicOrUnreadable_Stops()
    {
        const string segment = "visits";
        var ownership = Ownership(segment, partitions: 4);
        var home = SegmentPartitioner.PartitionOf(segment, 4);
        using var store = RocksDbKeyValueStore.Open("s", home, _dir.Path);

        store.Put(StateKeys.Owner(segment), new OwnershipRecord(Topic, (home + 1) % 4, 4).ToBytes());
        ownership.CheckStore(store, home, [segment])!.Code.ShouldBe(OwnershipViolation.SegmentOnWrongPartition);
        store.Put(StateKeys.Owner(segment), new OwnershipRecord("other", home, 4).ToBytes());
        ownership.CheckStore(store, home, [segment])!.Code.ShouldBe(OwnershipViolation.StateOfOtherTopic);
        store.Put(StateKeys.Owner(segment), [9, 9]);
        ownership.CheckStore(store, home, [segment])!.Code.ShouldBe(OwnershipViolation.Unverifiable);
        store.Put(StateKeys.Owner(segment), ownership.RecordFor(home));
        ownership.CheckStore(store, home, [segment]).ShouldBeNull();
    }

    [Fact]
    public void CheckStore_StateWithoutRecordOnPartitionItsKeyDoesNotMapTo_Stops()
    {
        const string segment = "visits";
        var ownership = Ownership(segment, partitions: 4);
        var away = (SegmentPartitioner.PartitionOf(segment, 4) + 1) % 4;
        using var store = RocksDbKeyValueStore.Open("s", away, _dir.Path);

        ownership.CheckStore(store, away, [segment])!.Message.ShouldContain($"Segment 'visits' showed up on partition {away} of topic 'in'");
        ownership.CheckStore(store, away, []).ShouldBeNull();
        ownership.CheckArrival(segment, away).ShouldNotBeNull();
        ownership.CheckArrival(segment, SegmentPartitioner.PartitionOf(segment, 4)).ShouldBeNull();
    }

    [Fact]
    public void OwnershipRecord_RoundTrips_AndRejectsImpossibleValues()
    {
        var record = new OwnershipRecord("tópic", 2, 3);

        OwnershipRecord.TryRead(record.ToBytes()).ShouldBe(record);
        OwnershipRecord.TryRead(new OwnershipRecord("t", 3, 3).ToBytes()).ShouldBeNull();
        OwnershipRecord.TryRead([1, 0, 0, 0, 0, 0, 0, 0, 1]).ShouldBeNull();
    }

    public void Dispose() => _dir.Dispose();

    private static StateOwnership Ownership(string segment, int partitions)
    {
        var ownership = new StateOwnership(Topic, "changelog", [segment]);
        ownership.CheckLayout(partitions, partitions).ShouldBeNull();
        return ownership;
    }

    // A segment name whose partition differs between the two counts.
    private static string MovingSegment(int from, int to) =>
        Enumerable.Range(0, 100).Select(i => "segment-" + i).First(s => SegmentPartitioner.PartitionOf(s, from) != SegmentPartitioner.PartitionOf(s, to));
}

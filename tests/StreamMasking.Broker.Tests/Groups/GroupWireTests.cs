using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Broker.Groups;
using StreamMasking.Broker.Groups.Api;
using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Tests.Groups;

/// <summary>Flexible (newest) versions of the group APIs, which librdkafka does not use, decoded field by field.</summary>
public sealed class GroupWireTests : IDisposable
{
    private readonly BrokerContext _broker = new(new LocalBrokerOptions(), NullLoggerFactory.Instance);
    private readonly GroupCoordinator _groups;

    public GroupWireTests()
    {
        _broker.AdvertisedPort = 9092;
        _groups = new GroupCoordinator(new GroupCoordinatorOptions { InitialRebalanceDelayMs = 0 }, new GroupOffsetStore(null),
            new TopicManagerCatalog(_broker.Topics), TimeProvider.System, NullLogger.Instance);
    }

    public void Dispose()
    {
        _groups.Dispose();
        _broker.Topics.Dispose();
    }

    [Fact]
    public async Task JoinSyncHeartbeatLeave_FlexibleVersions_RoundTrip()
    {
        var join = new JoinGroupHandler(_groups);
        var first = await WireExchange.SendAsync(_broker, join, 9, (w, f) => WriteJoin(w, f, string.Empty));
        first.ReadInt32();
        ((ErrorCode)first.ReadInt16()).ShouldBe(ErrorCode.MemberIdRequired);
        first.ReadInt32().ShouldBe(-1);
        first.ReadNullableString(true).ShouldBeNull();
        first.ReadNullableString(true).ShouldBeNull();
        first.ReadString(true).ShouldBe(string.Empty);
        first.ReadBool().ShouldBeFalse();
        var memberId = first.ReadString(true);
        first.ReadArrayCount(true).ShouldBe(0);
        first.SkipTaggedFields(true);
        first.Remaining.ShouldBe(0);

        var joined = await WireExchange.SendAsync(_broker, join, 9, (w, f) => WriteJoin(w, f, memberId));
        joined.ReadInt32();
        ((ErrorCode)joined.ReadInt16()).ShouldBe(ErrorCode.None);
        joined.ReadInt32().ShouldBe(1);
        joined.ReadNullableString(true).ShouldBe("consumer");
        joined.ReadNullableString(true).ShouldBe("range");
        joined.ReadString(true).ShouldBe(memberId);
        joined.ReadBool();
        joined.ReadString(true).ShouldBe(memberId);
        joined.ReadArrayCount(true).ShouldBe(1);
        joined.ReadString(true).ShouldBe(memberId);
        joined.ReadNullableString(true).ShouldBeNull();
        joined.ReadBytes(true).ToArray().ShouldBe(new byte[] { 7 });
        joined.SkipTaggedFields(true);
        joined.SkipTaggedFields(true);
        joined.Remaining.ShouldBe(0);

        var sync = await WireExchange.SendAsync(_broker, new SyncGroupHandler(_groups), 5, (w, f) =>
        {
            w.WriteString("g", f);
            w.WriteInt32(1);
            w.WriteString(memberId, f);
            w.WriteNullableString(null, f);
            w.WriteNullableString("consumer", f);
            w.WriteNullableString("range", f);
            w.WriteArrayCount(1, f);
            w.WriteString(memberId, f);
            w.WriteBytes([4, 2], f);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
        });
        sync.ReadInt32();
        ((ErrorCode)sync.ReadInt16()).ShouldBe(ErrorCode.None);
        sync.ReadNullableString(true).ShouldBe("consumer");
        sync.ReadNullableString(true).ShouldBe("range");
        sync.ReadBytes(true).ToArray().ShouldBe(new byte[] { 4, 2 });
        sync.SkipTaggedFields(true);
        sync.Remaining.ShouldBe(0);

        var heartbeat = await WireExchange.SendAsync(_broker, new HeartbeatHandler(_groups), 4, (w, f) =>
        {
            w.WriteString("g", f);
            w.WriteInt32(1);
            w.WriteString(memberId, f);
            w.WriteNullableString(null, f);
            w.WriteEmptyTaggedFields(f);
        });
        heartbeat.ReadInt32();
        ((ErrorCode)heartbeat.ReadInt16()).ShouldBe(ErrorCode.None);

        var leave = await WireExchange.SendAsync(_broker, new LeaveGroupHandler(_groups), 5, (w, f) =>
        {
            w.WriteString("g", f);
            w.WriteArrayCount(1, f);
            w.WriteString(memberId, f);
            w.WriteNullableString(null, f);
            w.WriteNullableString("done", f);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
        });
        leave.ReadInt32();
        ((ErrorCode)leave.ReadInt16()).ShouldBe(ErrorCode.None);
        leave.ReadArrayCount(true).ShouldBe(1);
        leave.ReadString(true).ShouldBe(memberId);
        leave.ReadNullableString(true).ShouldBeNull();
        ((ErrorCode)leave.ReadInt16()).ShouldBe(ErrorCode.None);
        leave.SkipTaggedFields(true);
        leave.SkipTaggedFields(true);
        leave.Remaining.ShouldBe(0);
    }

    [Fact]
    public async Task FindCoordinator_V4BatchedKeys_OneCoordinatorPerKey()
    {
        var response = await WireExchange.SendAsync(_broker, new FindCoordinatorHandler(), 4, (w, f) =>
        {
            w.WriteInt8(1);
            w.WriteArrayCount(2, f);
            w.WriteString("txn-a", f);
            w.WriteString("txn-b", f);
            w.WriteEmptyTaggedFields(f);
        });

        response.ReadInt32();
        response.ReadArrayCount(true).ShouldBe(2);
        foreach (var key in new[] { "txn-a", "txn-b" })
        {
            response.ReadString(true).ShouldBe(key);
            response.ReadInt32().ShouldBe(0);
            response.ReadString(true).ShouldBe("127.0.0.1");
            response.ReadInt32().ShouldBe(9092);
            ((ErrorCode)response.ReadInt16()).ShouldBe(ErrorCode.None);
            response.ReadNullableString(true).ShouldBeNull();
            response.SkipTaggedFields(true);
        }

        response.SkipTaggedFields(true);
        response.Remaining.ShouldBe(0);
    }

    [Fact]
    public async Task OffsetCommitAndFetch_V8MultiGroup_RoundTrip()
    {
        _broker.Topics.Create("t", 2, null);
        var commit = await WireExchange.SendAsync(_broker, new OffsetCommitHandler(_groups), 8, (w, f) =>
        {
            w.WriteString("simple", f);
            w.WriteInt32(-1);
            w.WriteString(string.Empty, f);
            w.WriteNullableString(null, f);
            w.WriteArrayCount(1, f);
            w.WriteString("t", f);
            w.WriteArrayCount(2, f);
            foreach (var (partition, offset) in new[] { (0, 5L), (7, 1L) })
            {
                w.WriteInt32(partition);
                w.WriteInt64(offset);
                w.WriteInt32(-1);
                w.WriteNullableString("meta", f);
                w.WriteEmptyTaggedFields(f);
            }

            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
        });
        commit.ReadInt32();
        commit.ReadArrayCount(true).ShouldBe(1);
        commit.ReadString(true).ShouldBe("t");
        commit.ReadArrayCount(true).ShouldBe(2);
        commit.ReadInt32().ShouldBe(0);
        ((ErrorCode)commit.ReadInt16()).ShouldBe(ErrorCode.None);
        commit.SkipTaggedFields(true);
        commit.ReadInt32().ShouldBe(7);
        ((ErrorCode)commit.ReadInt16()).ShouldBe(ErrorCode.UnknownTopicOrPartition);

        var fetch = await WireExchange.SendAsync(_broker, new OffsetFetchHandler(_groups), 8, (w, f) =>
        {
            w.WriteArrayCount(2, f);
            w.WriteString("simple", f);
            w.WriteArrayCount(-1, f);
            w.WriteEmptyTaggedFields(f);
            w.WriteString("other", f);
            w.WriteArrayCount(1, f);
            w.WriteString("t", f);
            w.WriteArrayCount(1, f);
            w.WriteInt32(1);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
            w.WriteBool(true);
            w.WriteEmptyTaggedFields(f);
        });
        fetch.ReadInt32();
        fetch.ReadArrayCount(true).ShouldBe(2);
        fetch.ReadString(true).ShouldBe("simple");
        fetch.ReadArrayCount(true).ShouldBe(1);
        fetch.ReadString(true).ShouldBe("t");
        fetch.ReadArrayCount(true).ShouldBe(1);
        fetch.ReadInt32().ShouldBe(0);
        fetch.ReadInt64().ShouldBe(5);
        fetch.ReadInt32().ShouldBe(-1);
        fetch.ReadNullableString(true).ShouldBe("meta");
        ((ErrorCode)fetch.ReadInt16()).ShouldBe(ErrorCode.None);
        fetch.SkipTaggedFields(true);
        fetch.SkipTaggedFields(true);
        ((ErrorCode)fetch.ReadInt16()).ShouldBe(ErrorCode.None);
        fetch.SkipTaggedFields(true);
        fetch.ReadString(true).ShouldBe("other");
        fetch.ReadArrayCount(true).ShouldBe(1);
        fetch.ReadString(true).ShouldBe("t");
        fetch.ReadArrayCount(true).ShouldBe(1);
        fetch.ReadInt32().ShouldBe(1);
        fetch.ReadInt64().ShouldBe(-1);
    }

    private static void WriteJoin(KafkaWriter w, bool f, string memberId)
    {
        w.WriteString("g", f);
        w.WriteInt32(10_000);
        w.WriteInt32(30_000);
        w.WriteString(memberId, f);
        w.WriteNullableString(null, f);
        w.WriteString("consumer", f);
        w.WriteArrayCount(1, f);
        w.WriteString("range", f);
        w.WriteBytes([7], f);
        w.WriteEmptyTaggedFields(f);
        w.WriteNullableString("reason", f);
        w.WriteEmptyTaggedFields(f);
    }
}

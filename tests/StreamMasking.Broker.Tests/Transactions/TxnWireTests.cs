using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Broker.Groups;
using StreamMasking.Broker.Groups.Api;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Tests.Groups;
using StreamMasking.Broker.Transactions;
using StreamMasking.Broker.Transactions.Api;

namespace StreamMasking.Broker.Tests.Transactions;

/// <summary>Flexible transaction API versions (librdkafka uses older ones) and the version-dependent fencing error.</summary>
public sealed class TxnWireTests : IDisposable
{
    private readonly BrokerContext _broker = new(new LocalBrokerOptions(), NullLoggerFactory.Instance);
    private readonly GroupCoordinator _groups;
    private readonly TransactionCoordinator _transactions;

    public TxnWireTests()
    {
        var catalog = new TopicManagerCatalog(_broker.Topics);
        _groups = new GroupCoordinator(new GroupCoordinatorOptions(), new GroupOffsetStore(null), catalog, TimeProvider.System, NullLogger.Instance);
        _transactions = new TransactionCoordinator(new TransactionCoordinatorOptions(), new TransactionStateStore(null),
            new PartitionMarkerWriter(_broker.Topics), _groups, catalog, TimeProvider.System, NullLogger.Instance);
        _broker.Topics.Create("t", 1, null);
    }

    public void Dispose()
    {
        _transactions.Dispose();
        _groups.Dispose();
        _broker.Topics.Dispose();
    }

    [Fact]
    public async Task TransactionApis_FlexibleVersions_CommitWritesMarkerAndOffsets()
    {
        var (producerId, epoch) = await InitAsync(version: 4);

        var add = await WireExchange.SendAsync(_broker, new AddPartitionsToTxnHandler(_transactions), 3, (w, f) =>
        {
            WriteProducer(w, f, producerId, epoch);
            w.WriteArrayCount(1, f);
            w.WriteString("t", f);
            w.WriteArrayCount(1, f);
            w.WriteInt32(0);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
        });
        add.ReadInt32();
        add.ReadArrayCount(true).ShouldBe(1);
        add.ReadString(true).ShouldBe("t");
        add.ReadArrayCount(true).ShouldBe(1);
        add.ReadInt32().ShouldBe(0);
        ((ErrorCode)add.ReadInt16()).ShouldBe(ErrorCode.None);

        (await AddOffsetsAsync(producerId, epoch)).ShouldBe(ErrorCode.None);

        var commitOffsets = await TxnOffsetCommitAsync(producerId, epoch, offset: 3);
        commitOffsets.ReadArrayCount(true).ShouldBe(1);
        commitOffsets.ReadString(true).ShouldBe("t");
        commitOffsets.ReadArrayCount(true).ShouldBe(1);
        commitOffsets.ReadInt32().ShouldBe(0);
        ((ErrorCode)commitOffsets.ReadInt16()).ShouldBe(ErrorCode.None);

        (await EndAsync(version: 3, producerId, epoch)).ShouldBe(ErrorCode.None);

        _broker.Topics.GetPartition("t", 0)!.HighWatermark.ShouldBe(1, "one commit marker");
        _groups.FetchOffsets("g", [new("t", 0)], requireStable: true)[0].Offset.ShouldBe(3);
    }

    [Fact]
    public async Task OffsetFetch_RequireStableWhileTxnOffsetCommitPending_UnstableThenCommittedAfterEndTxn()
    {
        var (producerId, epoch) = await InitAsync(version: 4);
        (await AddOffsetsAsync(producerId, epoch)).ShouldBe(ErrorCode.None);
        var commit = await TxnOffsetCommitAsync(producerId, epoch, offset: 7);
        commit.ReadArrayCount(true).ShouldBe(1);
        commit.ReadString(true);
        commit.ReadArrayCount(true);
        commit.ReadInt32();
        ((ErrorCode)commit.ReadInt16()).ShouldBe(ErrorCode.None);

        (await FetchAsync(requireStable: true)).ShouldBe((ErrorCode.UnstableOffsetCommit, -1L));
        // Without require_stable (read_uncommitted clients) the last committed offset is answered: none yet.
        (await FetchAsync(requireStable: false)).ShouldBe((ErrorCode.None, -1L));

        (await EndAsync(version: 3, producerId, epoch)).ShouldBe(ErrorCode.None);

        (await FetchAsync(requireStable: true)).ShouldBe((ErrorCode.None, 7L));
    }

    [Theory]
    [InlineData(1, (short)ErrorCode.InvalidProducerEpoch)]
    [InlineData(3, (short)ErrorCode.ProducerFenced)]
    public async Task EndTxn_StaleEpoch_FencingErrorDependsOnVersion(short version, short expected)
    {
        var (producerId, epoch) = await InitAsync(version: 4);
        await InitAsync(version: 4);

        ((short)await EndAsync(version, producerId, epoch)).ShouldBe(expected);
    }

    private async Task<(long ProducerId, short Epoch)> InitAsync(short version)
    {
        var init = await WireExchange.SendAsync(_broker, new InitProducerIdHandler(_transactions), version, (w, f) =>
        {
            w.WriteNullableString("txn", f);
            w.WriteInt32(60_000);
            w.WriteInt64(-1);
            w.WriteInt16(-1);
            w.WriteEmptyTaggedFields(f);
        });
        init.ReadInt32();
        ((ErrorCode)init.ReadInt16()).ShouldBe(ErrorCode.None);
        var result = (init.ReadInt64(), init.ReadInt16());
        init.SkipTaggedFields(true);
        init.Remaining.ShouldBe(0);
        return result;
    }

    // OffsetFetch v7 (flexible, one group) for t[0] of group g: the partition's error and offset.
    private async Task<(ErrorCode Error, long Offset)> FetchAsync(bool requireStable)
    {
        var fetch = await WireExchange.SendAsync(_broker, new OffsetFetchHandler(_groups), 7, (w, f) =>
        {
            w.WriteString("g", f);
            w.WriteArrayCount(1, f);
            w.WriteString("t", f);
            w.WriteArrayCount(1, f);
            w.WriteInt32(0);
            w.WriteEmptyTaggedFields(f);
            w.WriteBool(requireStable);
            w.WriteEmptyTaggedFields(f);
        });
        fetch.ReadInt32();
        fetch.ReadArrayCount(true).ShouldBe(1);
        fetch.ReadString(true).ShouldBe("t");
        fetch.ReadArrayCount(true).ShouldBe(1);
        fetch.ReadInt32().ShouldBe(0);
        var offset = fetch.ReadInt64();
        fetch.ReadInt32();
        fetch.ReadNullableString(true);
        return ((ErrorCode)fetch.ReadInt16(), offset);
    }

    private async Task<ErrorCode> EndAsync(short version, long producerId, short epoch)
    {
        var end = await WireExchange.SendAsync(_broker, new EndTxnHandler(_transactions), version, (w, f) =>
        {
            WriteProducer(w, f, producerId, epoch);
            w.WriteBool(true);
            w.WriteEmptyTaggedFields(f);
        });
        end.ReadInt32();
        return (ErrorCode)end.ReadInt16();
    }

    /// <summary>AddOffsetsToTxn v3 for group g; returns the error code.</summary>
    private async Task<ErrorCode> AddOffsetsAsync(long producerId, short epoch)
    {
        var response = await WireExchange.SendAsync(_broker, new AddOffsetsToTxnHandler(_transactions), 3, (w, f) =>
        {
            WriteProducer(w, f, producerId, epoch);
            w.WriteString("g", f);
            w.WriteEmptyTaggedFields(f);
        });
        response.ReadInt32();
        return (ErrorCode)response.ReadInt16();
    }

    /// <summary>TxnOffsetCommit v3 of <paramref name="offset"/> for g, t-0; returns the response from its topics on.</summary>
    private async Task<KafkaReader> TxnOffsetCommitAsync(long producerId, short epoch, long offset)
    {
        var response = await WireExchange.SendAsync(_broker, new TxnOffsetCommitHandler(_transactions, _groups), 3, (w, f) =>
        {
            w.WriteString("txn", f);
            w.WriteString("g", f);
            w.WriteInt64(producerId);
            w.WriteInt16(epoch);
            w.WriteInt32(-1);
            w.WriteString(string.Empty, f);
            w.WriteNullableString(null, f);
            w.WriteArrayCount(1, f);
            w.WriteString("t", f);
            w.WriteArrayCount(1, f);
            w.WriteInt32(0);
            w.WriteInt64(offset);
            w.WriteInt32(-1);
            w.WriteNullableString(null, f);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
        });
        response.ReadInt32();
        return response;
    }

    private static void WriteProducer(KafkaWriter w, bool f, long producerId, short epoch)
    {
        w.WriteString("txn", f);
        w.WriteInt64(producerId);
        w.WriteInt16(epoch);
    }
}

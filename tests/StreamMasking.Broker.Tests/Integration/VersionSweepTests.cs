using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Tests.Integration;

/// <summary>
/// Every advertised version of the version-heavy APIs, encoded and decoded field by field from the message
/// schemas, so that a field written in the wrong version shifts the parse and fails the test.
/// </summary>
public sealed class VersionSweepTests : IAsyncLifetime
{
    private LocalBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await LocalBroker.StartAsync(new LocalBrokerOptions { DefaultPartitions = 2 });
        _broker.Context.Topics.Create("sweep", 2, null);
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private Task<KafkaReader> RoundTripAsync(short apiKey, short version, bool flexible, Action<KafkaWriter> body) =>
        RawRequest.RoundTripAsync(_broker.Port, (ApiKey)apiKey, version, flexible, body);

    public static TheoryData<short> MetadataVersions() => new(Enumerable.Range(0, 13).Select(v => (short)v));

    [Theory]
    [MemberData(nameof(MetadataVersions))]
    public async Task Metadata_EveryVersion_ParsesExactly(short v)
    {
        var f = v >= 9;
        var reader = await RoundTripAsync((short)ApiKey.Metadata, v, f, w =>
        {
            w.WriteArrayCount(1, f);
            if (v >= 10)
            {
                w.WriteUuid(Guid.Empty);
            }

            w.WriteString("sweep", f);
            w.WriteEmptyTaggedFields(f);
            if (v >= 4)
            {
                w.WriteBool(false);
            }

            if (v is >= 8 and <= 10)
            {
                w.WriteBool(false);
            }

            if (v >= 8)
            {
                w.WriteBool(false);
            }

            w.WriteEmptyTaggedFields(f);
        });
        if (v >= 3)
        {
            reader.ReadInt32().ShouldBe(0);
        }

        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadInt32().ShouldBe(0);
        reader.ReadString(f).ShouldBe("127.0.0.1");
        reader.ReadInt32().ShouldBe(_broker.Port);
        if (v >= 1)
        {
            reader.ReadNullableString(f).ShouldBeNull();
        }

        reader.SkipTaggedFields(f);
        if (v >= 2)
        {
            reader.ReadNullableString(f).ShouldNotBeNull();
        }

        if (v >= 1)
        {
            reader.ReadInt32().ShouldBe(0);
        }

        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadInt16().ShouldBe((short)0);
        (v >= 12 ? reader.ReadNullableString(f) : reader.ReadString(f)).ShouldBe("sweep");
        if (v >= 10)
        {
            reader.ReadUuid().ShouldNotBe(Guid.Empty);
        }

        if (v >= 1)
        {
            reader.ReadBool().ShouldBeFalse();
        }

        reader.ReadArrayCount(f).ShouldBe(2);
        for (var p = 0; p < 2; p++)
        {
            reader.ReadInt16().ShouldBe((short)0);
            reader.ReadInt32().ShouldBe(p);
            reader.ReadInt32().ShouldBe(0);
            if (v >= 7)
            {
                reader.ReadInt32().ShouldBe(0);
            }

            reader.ReadArrayCount(f).ShouldBe(1);
            reader.ReadInt32();
            reader.ReadArrayCount(f).ShouldBe(1);
            reader.ReadInt32();
            if (v >= 5)
            {
                reader.ReadArrayCount(f).ShouldBe(0);
            }

            reader.SkipTaggedFields(f);
        }

        if (v >= 8)
        {
            reader.ReadInt32();
        }

        reader.SkipTaggedFields(f);
        if (v is >= 8 and <= 10)
        {
            reader.ReadInt32();
        }

        reader.SkipTaggedFields(f);
        reader.Remaining.ShouldBe(0);
    }

    public static TheoryData<short> ListOffsetsVersions() => new(Enumerable.Range(1, 7).Select(v => (short)v));

    [Theory]
    [MemberData(nameof(ListOffsetsVersions))]
    public async Task ListOffsets_EveryVersion_ParsesExactly(short v)
    {
        var f = v >= 6;
        var reader = await RoundTripAsync((short)ApiKey.ListOffsets, v, f, w =>
        {
            w.WriteInt32(-1);
            if (v >= 2)
            {
                w.WriteInt8(0);
            }

            w.WriteArrayCount(1, f);
            w.WriteString("sweep", f);
            w.WriteArrayCount(1, f);
            w.WriteInt32(1);
            if (v >= 4)
            {
                w.WriteInt32(-1);
            }

            w.WriteInt64(-2);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
        });
        if (v >= 2)
        {
            reader.ReadInt32().ShouldBe(0);
        }

        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadString(f).ShouldBe("sweep");
        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadInt32().ShouldBe(1);
        reader.ReadInt16().ShouldBe((short)0);
        reader.ReadInt64().ShouldBe(-1);
        reader.ReadInt64().ShouldBe(0);
        if (v >= 4)
        {
            reader.ReadInt32().ShouldBe(0);
        }

        reader.SkipTaggedFields(f);
        reader.SkipTaggedFields(f);
        reader.SkipTaggedFields(f);
        reader.Remaining.ShouldBe(0);
    }

    public static TheoryData<short> ProduceVersions() => new(Enumerable.Range(3, 7).Select(v => (short)v));

    [Theory]
    [MemberData(nameof(ProduceVersions))]
    public async Task ProduceThenFetch_EveryProduceVersion_ParsesExactly(short v)
    {
        var f = v >= 9;
        var batch = Storage.TestBatches.Plain(("k", "v"));
        var reader = await RoundTripAsync((short)ApiKey.Produce, v, f, w =>
        {
            w.WriteNullableString(null, f);
            w.WriteInt16(-1);
            w.WriteInt32(30_000);
            w.WriteArrayCount(1, f);
            w.WriteString("sweep", f);
            w.WriteArrayCount(1, f);
            w.WriteInt32(0);
            w.WriteBytes(batch, f);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
        });
        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadString(f).ShouldBe("sweep");
        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadInt32().ShouldBe(0);
        reader.ReadInt16().ShouldBe((short)0);
        reader.ReadInt64().ShouldBeGreaterThanOrEqualTo(0);
        reader.ReadInt64().ShouldBe(-1);
        if (v >= 5)
        {
            reader.ReadInt64().ShouldBe(0);
        }

        if (v >= 8)
        {
            reader.ReadArrayCount(f).ShouldBe(0);
            reader.ReadNullableString(f).ShouldBeNull();
        }

        reader.SkipTaggedFields(f);
        reader.SkipTaggedFields(f);
        reader.ReadInt32().ShouldBe(0);
        reader.SkipTaggedFields(f);
        reader.Remaining.ShouldBe(0);
    }

    public static TheoryData<short> FetchVersions() => new(Enumerable.Range(4, 9).Select(v => (short)v));

    [Theory]
    [MemberData(nameof(FetchVersions))]
    public async Task Fetch_EveryVersion_ParsesExactly(short v)
    {
        var f = v >= 12;
        var batch = Storage.TestBatches.Plain(("k", "v"));
        _broker.Context.Topics.GetPartition("sweep", 1)!.AppendFromProducer(batch);
        var reader = await RoundTripAsync((short)ApiKey.Fetch, v, f, w =>
        {
            w.WriteInt32(-1);
            w.WriteInt32(0);
            w.WriteInt32(0);
            w.WriteInt32(1 << 20);
            w.WriteInt8(1);
            if (v >= 7)
            {
                w.WriteInt32(0);
                w.WriteInt32(-1);
            }

            w.WriteArrayCount(1, f);
            w.WriteString("sweep", f);
            w.WriteArrayCount(1, f);
            w.WriteInt32(1);
            if (v >= 9)
            {
                w.WriteInt32(-1);
            }

            w.WriteInt64(0);
            if (v >= 12)
            {
                w.WriteInt32(-1);
            }

            if (v >= 5)
            {
                w.WriteInt64(-1);
            }

            w.WriteInt32(1 << 20);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
            if (v >= 7)
            {
                w.WriteArrayCount(0, f);
            }

            if (v >= 11)
            {
                w.WriteString("", f);
            }

            w.WriteEmptyTaggedFields(f);
        });
        reader.ReadInt32().ShouldBe(0);
        if (v >= 7)
        {
            reader.ReadInt16().ShouldBe((short)0);
            reader.ReadInt32().ShouldBe(0);
        }

        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadString(f).ShouldBe("sweep");
        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadInt32().ShouldBe(1);
        reader.ReadInt16().ShouldBe((short)0);
        var highWatermark = reader.ReadInt64();
        highWatermark.ShouldBeGreaterThan(0);
        reader.ReadInt64().ShouldBe(highWatermark);
        if (v >= 5)
        {
            reader.ReadInt64().ShouldBe(0);
        }

        reader.ReadArrayCount(f).ShouldBe(0);
        if (v >= 11)
        {
            reader.ReadInt32().ShouldBe(-1);
        }

        var records = reader.ReadBytes(f);
        records.Length.ShouldBeGreaterThanOrEqualTo(batch.Length);
        Broker.Records.RecordBatchHeader.ReadBaseOffset(records.Span).ShouldBe(0);
        reader.SkipTaggedFields(f);
        reader.SkipTaggedFields(f);
        reader.SkipTaggedFields(f);
        reader.Remaining.ShouldBe(0);
    }
}

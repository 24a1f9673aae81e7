using StreamMasking.Broker.Protocol;

namespace StreamMasking.Broker.Tests.Integration;

/// <summary>The admin APIs at every advertised version, decoded field by field (see <see cref="VersionSweepTests"/>).</summary>
public sealed class AdminVersionSweepTests : IAsyncLifetime
{
    private LocalBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await LocalBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private Task<KafkaReader> RoundTripAsync(ApiKey apiKey, short version, bool flexible, Action<KafkaWriter> body) =>
        RawRequest.RoundTripAsync(_broker.Port, apiKey, version, flexible, body);

    public static TheoryData<short> CreateTopicsVersions() => new(Enumerable.Range(2, 6).Select(v => (short)v));

    [Theory]
    [MemberData(nameof(CreateTopicsVersions))]
    public async Task CreateThenDescribeThenDelete_EveryCreateVersion_ParsesExactly(short v)
    {
        var f = v >= 5;
        var reader = await RoundTripAsync(ApiKey.CreateTopics, v, f, w =>
        {
            w.WriteArrayCount(1, f);
            w.WriteString("created", f);
            w.WriteInt32(2);
            w.WriteInt16(1);
            w.WriteArrayCount(0, f);
            w.WriteArrayCount(1, f);
            w.WriteString("retention.ms", f);
            w.WriteNullableString("1000", f);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
            w.WriteInt32(30_000);
            w.WriteBool(false);
            w.WriteEmptyTaggedFields(f);
        });
        reader.ReadInt32().ShouldBe(0);
        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadString(f).ShouldBe("created");
        if (v >= 7)
        {
            reader.ReadUuid().ShouldNotBe(Guid.Empty);
        }

        reader.ReadInt16().ShouldBe((short)0);
        reader.ReadNullableString(f).ShouldBeNull();
        if (v >= 5)
        {
            reader.ReadInt32().ShouldBe(2);
            reader.ReadInt16().ShouldBe((short)1);
            var configs = reader.ReadArrayCount(f);
            configs.ShouldBeGreaterThan(0);
            var values = new Dictionary<string, string?>();
            for (var i = 0; i < configs; i++)
            {
                var name = reader.ReadString(f);
                values[name] = reader.ReadNullableString(f);
                reader.ReadBool();
                reader.ReadInt8();
                reader.ReadBool();
                reader.SkipTaggedFields(f);
            }

            values["retention.ms"].ShouldBe("1000");
        }

        reader.SkipTaggedFields(f);
        reader.SkipTaggedFields(f);
        reader.Remaining.ShouldBe(0);

        await DescribeAsync((short)Math.Min((int)v, 4));
        await DeleteAsync((short)Math.Clamp(v - 1, 1, 5));
    }

    private async Task DescribeAsync(short v)
    {
        var f = v >= 4;
        var reader = await RoundTripAsync(ApiKey.DescribeConfigs, v, f, w =>
        {
            w.WriteArrayCount(1, f);
            w.WriteInt8(2);
            w.WriteString("created", f);
            w.WriteArrayCount(-1, f);
            w.WriteEmptyTaggedFields(f);
            w.WriteBool(true);
            if (v >= 3)
            {
                w.WriteBool(false);
            }

            w.WriteEmptyTaggedFields(f);
        });
        reader.ReadInt32().ShouldBe(0);
        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadInt16().ShouldBe((short)0);
        reader.ReadNullableString(f).ShouldBeNull();
        reader.ReadInt8().ShouldBe((sbyte)2);
        reader.ReadString(f).ShouldBe("created");
        var count = reader.ReadArrayCount(f);
        var retention = "";
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString(f);
            var value = reader.ReadNullableString(f);
            if (name == "retention.ms")
            {
                retention = value;
            }

            reader.ReadBool();
            reader.ReadInt8();
            reader.ReadBool();
            var synonyms = reader.ReadArrayCount(f);
            for (var s = 0; s < synonyms; s++)
            {
                reader.ReadString(f);
                reader.ReadNullableString(f);
                reader.ReadInt8();
                reader.SkipTaggedFields(f);
            }

            if (v >= 3)
            {
                reader.ReadInt8();
                reader.ReadNullableString(f);
            }

            reader.SkipTaggedFields(f);
        }

        retention.ShouldBe("1000");
        reader.SkipTaggedFields(f);
        reader.SkipTaggedFields(f);
        reader.Remaining.ShouldBe(0);
    }

    private async Task DeleteAsync(short v)
    {
        var f = v >= 4;
        var reader = await RoundTripAsync(ApiKey.DeleteTopics, v, f, w =>
        {
            w.WriteArrayCount(1, f);
            w.WriteString("created", f);
            w.WriteInt32(30_000);
            w.WriteEmptyTaggedFields(f);
        });
        reader.ReadInt32().ShouldBe(0);
        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadString(f).ShouldBe("created");
        reader.ReadInt16().ShouldBe((short)0);
        if (v >= 5)
        {
            reader.ReadNullableString(f).ShouldBeNull();
        }

        reader.SkipTaggedFields(f);
        reader.SkipTaggedFields(f);
        reader.Remaining.ShouldBe(0);
        _broker.Context.Topics.Get("created").ShouldBeNull();
    }

    public static TheoryData<short> EpochVersions() => new(Enumerable.Range(2, 3).Select(v => (short)v));

    [Theory]
    [MemberData(nameof(EpochVersions))]
    public async Task OffsetForLeaderEpoch_EveryVersion_ParsesExactly(short v)
    {
        var f = v >= 4;
        _broker.Context.Topics.Create("epochs", 1, null);
        var reader = await RoundTripAsync(ApiKey.OffsetForLeaderEpoch, v, f, w =>
        {
            if (v >= 3)
            {
                w.WriteInt32(-1);
            }

            w.WriteArrayCount(1, f);
            w.WriteString("epochs", f);
            w.WriteArrayCount(1, f);
            w.WriteInt32(0);
            w.WriteInt32(0);
            w.WriteInt32(0);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
            w.WriteEmptyTaggedFields(f);
        });
        reader.ReadInt32().ShouldBe(0);
        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadString(f).ShouldBe("epochs");
        reader.ReadArrayCount(f).ShouldBe(1);
        reader.ReadInt16().ShouldBe((short)0);
        reader.ReadInt32().ShouldBe(0);
        reader.ReadInt32().ShouldBe(0);
        reader.ReadInt64().ShouldBe(0);
        reader.SkipTaggedFields(f);
        reader.SkipTaggedFields(f);
        reader.SkipTaggedFields(f);
        reader.Remaining.ShouldBe(0);
    }
}

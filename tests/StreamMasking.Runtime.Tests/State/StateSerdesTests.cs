using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

public sealed class StateSerdesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(-1L)]
    [InlineData(0L)]
    [InlineData(42L)]
    [InlineData(long.MaxValue)]
    public void OrderedInt64_RoundTrip_ReturnsValue(long value)
    {
        StateSerdes.OrderedInt64.Deserialize(StateSerdes.OrderedInt64.Serialize(value)).ShouldBe(value);
    }

    [Fact]
    public void OrderedInt64_ByteOrder_EqualsNumericOrder()
    {
        long[] values = [long.MaxValue, 3, -2, 0, long.MinValue, -300, 256];

        var byBytes = values.OrderBy(v => StateSerdes.OrderedInt64.Serialize(v), ByteArrayComparer.Instance);

        byBytes.ShouldBe(values.Order());
    }

    [Fact]
    public void TypedStore_PutGetPrefixScan_UsesSerdes()
    {
        using var rocks = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        var store = new TypedKeyValueStore<string, long>(rocks, StateSerdes.Utf8, StateSerdes.OrderedInt64);

        store.Put("seg-a/w1", 5);
        store.Put("seg-a/w2", -7);
        store.Put("seg-b/w1", 9);
        store.Delete("seg-a/w2");

        store.TryGet("seg-a/w1", out var found).ShouldBeTrue();
        found.ShouldBe(5);
        store.TryGet("seg-a/w2", out _).ShouldBeFalse();
        store.PrefixScan(Bytes.Of("seg-a/")).ShouldBe([new KeyValuePair<string, long>("seg-a/w1", 5)]);
    }

    public void Dispose() => _dir.Dispose();
}

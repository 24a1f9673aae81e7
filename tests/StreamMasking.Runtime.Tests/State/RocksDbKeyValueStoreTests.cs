using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

public sealed class RocksDbKeyValueStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void PutGetDelete_SingleKey_RoundTrips()
    {
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);

        store.Put(Bytes.Of("k"), Bytes.Of("v1"));
        Bytes.Text(store.Get(Bytes.Of("k"))).ShouldBe("v1");
        store.Put(Bytes.Of("k"), Bytes.Of("v2"));
        Bytes.Text(store.Get(Bytes.Of("k"))).ShouldBe("v2");
        store.Delete(Bytes.Of("k"));

        store.Get(Bytes.Of("k")).ShouldBeNull();
    }

    [Fact]
    public void Range_BoundsAndUnsignedOrder_ReturnsHalfOpenRangeSorted()
    {
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        foreach (var key in new byte[][] { [0x80], [0x01], [0x01, 0x00], [0x02], [0xFF] })
        {
            store.Put(key, [0x00]);
        }

        var keys = store.Range(new KeyRange([0x01, 0x00], [0xFF])).Select(kv => kv.Key).ToList();

        keys.ShouldBe(new byte[][] { [0x01, 0x00], [0x02], [0x80] });
    }

    [Fact]
    public void Range_Prefix_ReturnsOnlyPrefixedKeys()
    {
        using var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        store.Put(Bytes.Of("a/1"), Bytes.Of("x"));
        store.Put(Bytes.Of("a/2"), Bytes.Of("y"));
        store.Put(Bytes.Of("b/1"), Bytes.Of("z"));

        Bytes.Texts(store.Range(KeyRange.Prefix(Bytes.Of("a/")))).ShouldBe([("a/1", "x"), ("a/2", "y")]);
    }

    [Fact]
    public void Open_AfterDisposeAndFlush_KeepsData()
    {
        using (var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path))
        {
            store.Put(Bytes.Of("k"), Bytes.Of("v"));
            store.Flush();
        }

        using var reopened = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        Bytes.Text(reopened.Get(Bytes.Of("k"))).ShouldBe("v");
    }

    [Fact]
    public void Get_AfterDispose_Throws()
    {
        var store = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        store.Dispose();

        Should.Throw<ObjectDisposedException>(() => store.Get(Bytes.Of("k")));
    }

    public void Dispose() => _dir.Dispose();
}

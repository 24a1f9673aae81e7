using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

public sealed class BufferedKeyValueStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly RocksDbKeyValueStore _rocks;
    private readonly BufferedKeyValueStore _store;

    public BufferedKeyValueStoreTests()
    {
        _rocks = RocksDbKeyValueStore.Open("s", 0, _dir.Path);
        _store = new BufferedKeyValueStore(_rocks);
    }

    [Fact]
    public void Put_BeforeApply_VisibleThroughBufferButNotInRocksDb()
    {
        _store.Put(Bytes.Of("k"), Bytes.Of("v"));

        Bytes.Text(_store.Get(Bytes.Of("k"))).ShouldBe("v");
        _rocks.Get(Bytes.Of("k")).ShouldBeNull();
    }

    [Fact]
    public void ApplyPending_AfterPutsAndDeletes_WritesThemToRocksDb()
    {
        _rocks.Put(Bytes.Of("old"), Bytes.Of("x"));
        _store.Put(Bytes.Of("k"), Bytes.Of("v"));
        _store.Delete(Bytes.Of("old"));

        _store.ApplyPending().ShouldBe(2);

        Bytes.Text(_rocks.Get(Bytes.Of("k"))).ShouldBe("v");
        _rocks.Get(Bytes.Of("old")).ShouldBeNull();
        _store.PendingCount.ShouldBe(0);
    }

    [Fact]
    public void DiscardPending_AfterWrites_RestoresCommittedView()
    {
        _rocks.Put(Bytes.Of("a"), Bytes.Of("committed"));
        _store.Put(Bytes.Of("a"), Bytes.Of("uncommitted"));
        _store.Put(Bytes.Of("b"), Bytes.Of("uncommitted"));

        _store.DiscardPending();

        Bytes.Text(_store.Get(Bytes.Of("a"))).ShouldBe("committed");
        _store.Get(Bytes.Of("b")).ShouldBeNull();
    }

    [Fact]
    public void Put_CallerMutatesArraysAfterwards_BufferKeepsOriginal()
    {
        var key = Bytes.Of("k");
        var value = Bytes.Of("v");
        _store.Put(key, value);
        value[0] = (byte)'X';
        key[0] = (byte)'X';

        Bytes.Text(_store.Get(Bytes.Of("k"))).ShouldBe("v");
    }

    [Fact]
    public void Range_BufferOverPersisted_MergesWithBufferWinningAndDeletesHiding()
    {
        _rocks.Put(Bytes.Of("a"), Bytes.Of("1"));
        _rocks.Put(Bytes.Of("b"), Bytes.Of("2"));
        _rocks.Put(Bytes.Of("d"), Bytes.Of("4"));
        _store.Put(Bytes.Of("b"), Bytes.Of("2'"));
        _store.Put(Bytes.Of("c"), Bytes.Of("3"));
        _store.Delete(Bytes.Of("d"));
        _store.Put(Bytes.Of("e"), Bytes.Of("5"));

        Bytes.Texts(_store.Range(KeyRange.All)).ShouldBe([("a", "1"), ("b", "2'"), ("c", "3"), ("e", "5")]);
        Bytes.Texts(_store.Range(new KeyRange(Bytes.Of("b"), Bytes.Of("e")))).ShouldBe([("b", "2'"), ("c", "3")]);
    }

    [Fact]
    public void Range_WritingWhileEnumerating_DoesNotThrow()
    {
        _store.Put(Bytes.Of("a"), Bytes.Of("1"));
        _store.Put(Bytes.Of("b"), Bytes.Of("2"));

        foreach (var (key, _) in _store.Range(KeyRange.All))
        {
            _store.Delete(key);
        }

        _store.Range(KeyRange.All).ShouldBeEmpty();
    }

    [Fact]
    public void RandomOperations_CommitsAndAborts_MatchSortedDictionaryModel()
    {
        // Fixed seed: deterministic, no false failures.
        var random = new Random(20261123);
        var committed = new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        var open = new SortedDictionary<byte[], byte[]>(committed, ByteArrayComparer.Instance);
        for (var step = 0; step < 3000; step++)
        {
            var key = new[] { (byte)random.Next(0, 4), (byte)random.Next(0, 8) };
            switch (random.Next(0, 10))
            {
                case < 5:
                    var value = new[] { (byte)random.Next(256) };
                    _store.Put(key, value);
                    open[key] = value;
                    break;
                case < 8:
                    _store.Delete(key);
                    open.Remove(key);
                    break;
                case 8:
                    _store.ApplyPending();
                    committed = new SortedDictionary<byte[], byte[]>(open, ByteArrayComparer.Instance);
                    break;
                default:
                    _store.DiscardPending();
                    open = new SortedDictionary<byte[], byte[]>(committed, ByteArrayComparer.Instance);
                    break;
            }

            _store.Get(key).ShouldBe(open.GetValueOrDefault(key));
            if (step % 100 == 0)
            {
                var prefix = KeyRange.Prefix([key[0]]);
                Bytes.Hex(_store.Range(prefix)).ShouldBe(Bytes.Hex(open.Where(kv => prefix.Contains(kv.Key))));
                Bytes.Hex(_rocks.Range(KeyRange.All)).ShouldBe(Bytes.Hex(committed));
            }
        }
    }

    public void Dispose()
    {
        _rocks.Dispose();
        _dir.Dispose();
    }
}

using StreamMasking.Runtime.State;

namespace StreamMasking.Runtime.Tests.State;

public sealed class ChangeLoggingKeyValueStoreTests
{
    [Fact]
    public void PutAndDelete_Always_SendRecordAndTombstoneToChangelogPartition()
    {
        var sink = new RecordingSink();
        var inner = new DictionaryStore("ledger", 5);
        var store = new ChangeLoggingKeyValueStore(inner, sink, "app-ledger-changelog");

        store.Put(Bytes.Of("k"), Bytes.Of("v"));
        store.Delete(Bytes.Of("k"));

        sink.Sent.ShouldBe([("app-ledger-changelog", 5, "k", "v"), ("app-ledger-changelog", 5, "k", null)]);
        inner.Get(Bytes.Of("k")).ShouldBeNull();
    }

    [Fact]
    public void Put_SinkThrows_InnerStoreUnchanged()
    {
        var inner = new DictionaryStore("ledger", 0);
        var store = new ChangeLoggingKeyValueStore(inner, new ThrowingSink(), "app-ledger-changelog");

        Should.Throw<InvalidOperationException>(() => store.Put(Bytes.Of("k"), Bytes.Of("v")));

        inner.Get(Bytes.Of("k")).ShouldBeNull();
    }

    [Fact]
    public void GetAndRange_Always_ReadInnerWithoutLogging()
    {
        var sink = new RecordingSink();
        var inner = new DictionaryStore("ledger", 0);
        inner.Put(Bytes.Of("a"), Bytes.Of("1"));
        var store = new ChangeLoggingKeyValueStore(inner, sink, "t");

        Bytes.Text(store.Get(Bytes.Of("a"))).ShouldBe("1");
        Bytes.Texts(store.Range(KeyRange.All)).ShouldBe([("a", "1")]);
        sink.Sent.ShouldBeEmpty();
    }

    private sealed class RecordingSink : IChangelogSink
    {
        internal List<(string, int, string?, string?)> Sent { get; } = [];

        public void Send(string topic, int partition, byte[] key, byte[]? value) =>
            Sent.Add((topic, partition, Bytes.Text(key), Bytes.Text(value)));

        public long? NextOffsetAfterAcknowledged(string topic, int partition) => null;
    }

    private sealed class ThrowingSink : IChangelogSink
    {
        public void Send(string topic, int partition, byte[] key, byte[]? value) =>
            throw new InvalidOperationException("producer fenced");

        public long? NextOffsetAfterAcknowledged(string topic, int partition) => null;
    }

    private sealed class DictionaryStore(string name, int partition) : IKeyValueStore
    {
        private readonly SortedDictionary<byte[], byte[]> _data = new(ByteArrayComparer.Instance);

        public string Name => name;

        public int Partition => partition;

        public byte[]? Get(byte[] key) => _data.GetValueOrDefault(key);

        public void Put(byte[] key, byte[] value) => _data[key] = value;

        public void Delete(byte[] key) => _data.Remove(key);

        public IEnumerable<KeyValuePair<byte[], byte[]>> Range(KeyRange range) =>
            _data.Where(kv => range.Contains(kv.Key)).ToList();
    }
}

using System.Buffers.Binary;
using Confluent.Kafka;
using StreamMasking.Runtime.State;
using StreamMasking.Testing;
using Xunit.Abstractions;

namespace StreamMasking.Runtime.Tests.State.Integration;

/// <summary>Stores, changelogs, checkpoints and restore against the test broker, with real transactions.</summary>
[Collection(KafkaCluster.Collection)]
public sealed class ChangelogRestoreIntegrationTests : IDisposable
{
    private const string Ledger = "ledger";
    private const string Windows = "windows";
    private const int InputPartitions = 2;

    private readonly KafkaCluster _cluster;
    private readonly TempDirectory _dirA = new();
    private readonly TempDirectory _dirB = new();
    private readonly string _applicationId = $"state-it-{Guid.NewGuid():N}";

    private readonly ITestOutputHelper _output;

    public ChangelogRestoreIntegrationTests(KafkaCluster cluster, ITestOutputHelper output)
    {
        _cluster = cluster;
        _output = output;
    }

    private string LedgerChangelog => ChangelogTopics.NameFor(_applicationId, Ledger);

    [Fact]
    public async Task CommittedTransaction_StateDirectoryWiped_RestoresIdentically()
    {
        await ProvisionAsync();
        List<(string, string)> before;
        using (var instance = Harness(_dirA))
        {
            instance.Open(0);
            instance.Begin();
            for (var i = 0; i < 50; i++)
            {
                instance.Store(Ledger, 0).Put(Bytes.Of($"k{i:D3}"), Bytes.Of($"v{i}"));
            }

            instance.Store(Ledger, 0).Put(Bytes.Of("k007"), Bytes.Of("overwritten"));
            instance.Commit();
            before = Bytes.Texts(instance.Store(Ledger, 0).Range(KeyRange.All));
        }

        Directory.Delete(_dirA.Path, recursive: true);

        using var restarted = Harness(_dirA);
        var results = restarted.Open(0);
        Bytes.Texts(restarted.Store(Ledger, 0).Range(KeyRange.All)).ShouldBe(before);
        before.Count.ShouldBe(50);
        var ledger = results.Single(r => r.Store == Ledger);
        ledger.FromScratch.ShouldBeTrue();
        ledger.RecordsRestored.ShouldBe(51);
    }

    [Fact]
    public async Task AbortedTransaction_WritesNeitherInLocalStateNorRestored()
    {
        await ProvisionAsync();
        using (var instance = Harness(_dirA))
        {
            instance.Open(0);
            instance.Begin();
            instance.Store(Ledger, 0).Put(Bytes.Of("committed"), Bytes.Of("1"));
            instance.Commit();
            instance.Begin();
            instance.Store(Ledger, 0).Put(Bytes.Of("aborted"), Bytes.Of("2"));
            instance.Store(Ledger, 0).Delete(Bytes.Of("committed"));
            instance.Abort();

            instance.Store(Ledger, 0).Get(Bytes.Of("aborted")).ShouldBeNull();
            Bytes.Text(instance.Store(Ledger, 0).Get(Bytes.Of("committed"))).ShouldBe("1");
        }

        // The aborted records did reach the log; read_committed restore must skip them.
        _cluster.DrainUncommitted(LedgerChangelog, expectedCount: 3).Count.ShouldBe(3);
        Directory.Delete(_dirA.Path, recursive: true);

        using var restarted = Harness(_dirA);
        restarted.Open(0);
        Bytes.Texts(restarted.Store(Ledger, 0).Range(KeyRange.All)).ShouldBe([("committed", "1")]);
    }

    [Fact]
    public async Task Reopen_WithCheckpoint_RestoresOnlyTheTail()
    {
        await ProvisionAsync();
        long checkpoint;
        using (var first = Harness(_dirA))
        {
            first.Open(0);
            first.Begin();
            for (var i = 0; i < 20; i++)
            {
                first.Store(Ledger, 0).Put(Bytes.Of($"k{i:D2}"), Bytes.Of("first"));
            }

            first.Commit();
        }

        checkpoint = StateCheckpoint.TryRead(Path.Combine(_dirA.Path, _applicationId, "ledger-0", "ledger.checkpoint"),
            LedgerChangelog, 0) ?? -1;
        checkpoint.ShouldBeGreaterThanOrEqualTo(20);

        // A second owner with its own state directory takes over, writes three more, hands back.
        using (var second = Harness(_dirB))
        {
            second.Open(0);
            second.Begin();
            for (var i = 20; i < 23; i++)
            {
                second.Store(Ledger, 0).Put(Bytes.Of($"k{i:D2}"), Bytes.Of("second"));
            }

            second.Commit();
        }

        using var back = Harness(_dirA);
        var ledger = back.Open(0).Single(r => r.Store == Ledger);

        ledger.FromScratch.ShouldBeFalse();
        ledger.StartOffset.ShouldBe(checkpoint);
        ledger.RecordsRestored.ShouldBe(3);
        back.Store(Ledger, 0).Range(KeyRange.All).Count().ShouldBe(23);
        back.Observer.Completed.ShouldContain(r => r.Store == Ledger && r.RecordsRestored == 3);
    }

    [Fact]
    public async Task Tombstone_Committed_DeletesAfterRestore()
    {
        await ProvisionAsync();
        using (var instance = Harness(_dirA))
        {
            instance.Open(0);
            instance.Begin();
            instance.Store(Ledger, 0).Put(Bytes.Of("a"), Bytes.Of("1"));
            instance.Store(Ledger, 0).Put(Bytes.Of("b"), Bytes.Of("2"));
            instance.Commit();
            instance.Begin();
            instance.Store(Ledger, 0).Delete(Bytes.Of("a"));
            instance.Commit();
        }

        Directory.Delete(_dirA.Path, recursive: true);

        using var restarted = Harness(_dirA);
        restarted.Open(0);
        Bytes.Texts(restarted.Store(Ledger, 0).Range(KeyRange.All)).ShouldBe([("b", "2")]);
    }

    [Fact]
    public async Task TwoStoresTwoPartitions_WrittenInOneTransaction_StayIsolatedAfterRestore()
    {
        await ProvisionAsync();
        using (var instance = Harness(_dirA))
        {
            instance.Open(0, 1);
            instance.Begin();
            instance.Store(Ledger, 0).Put(Bytes.Of("k"), Bytes.Of("ledger-0"));
            instance.Store(Ledger, 1).Put(Bytes.Of("k"), Bytes.Of("ledger-1"));
            instance.Store(Windows, 1).Put(Bytes.Of("k"), Bytes.Of("windows-1"));
            instance.Commit();
        }

        Directory.Delete(_dirA.Path, recursive: true);

        using var restarted = Harness(_dirA);
        restarted.Open(0, 1);
        Bytes.Text(restarted.Store(Ledger, 0).Get(Bytes.Of("k"))).ShouldBe("ledger-0");
        Bytes.Text(restarted.Store(Ledger, 1).Get(Bytes.Of("k"))).ShouldBe("ledger-1");
        Bytes.Text(restarted.Store(Windows, 1).Get(Bytes.Of("k"))).ShouldBe("windows-1");
        restarted.Store(Windows, 0).Get(Bytes.Of("k")).ShouldBeNull();
    }

    [Fact]
    public async Task LargeChangelog_ManyTransactions_RestoresAcrossBatches()
    {
        await ProvisionAsync();
        const int Keys = 4000;
        using (var instance = Harness(_dirA))
        {
            instance.Open(1);
            for (var txn = 0; txn < 4; txn++)
            {
                instance.Begin();
                for (var i = txn * (Keys / 4); i < (txn + 1) * (Keys / 4); i++)
                {
                    instance.Store(Ledger, 1).Put(OrderedKey(i), Bytes.Of($"v{i}"));
                }

                instance.Commit();
            }
        }

        Directory.Delete(_dirA.Path, recursive: true);

        using var restarted = Harness(_dirA);
        var ledger = restarted.Open(1).Single(r => r.Store == Ledger);
        _output.WriteLine($"restored {ledger.RecordsRestored} records in {ledger.Duration.TotalMilliseconds:F0} ms");

        ledger.RecordsRestored.ShouldBe(Keys);
        restarted.Observer.BatchesRestored.ShouldBeGreaterThanOrEqualTo(4);
        var keys = restarted.Store(Ledger, 1).Range(KeyRange.All)
            .Select(kv => (long)BinaryPrimitives.ReadUInt64BigEndian(kv.Key)).ToList();
        keys.ShouldBe(Enumerable.Range(0, Keys).Select(i => (long)i));
    }

    [Fact]
    public async Task CommitOutcomeUnknownToStores_ClosedWithPendingWrites_NextOpenRestoresThem()
    {
        await ProvisionAsync();
        using (var instance = Harness(_dirA))
        {
            instance.Open(0);
            instance.Begin();
            instance.Store(Ledger, 0).Put(Bytes.Of("a"), Bytes.Of("1"));
            instance.Commit();
            instance.Begin();
            instance.Store(Ledger, 0).Put(Bytes.Of("b"), Bytes.Of("2"));
            // Kafka commits, but the stores are closed before they hear of it (as if the loop died in between).
            instance.CommitKafkaOnly();
        }

        using var restarted = Harness(_dirA);
        var ledger = restarted.Open(0).Single(r => r.Store == Ledger);

        ledger.FromScratch.ShouldBeTrue();
        Bytes.Texts(restarted.Store(Ledger, 0).Range(KeyRange.All)).ShouldBe([("a", "1"), ("b", "2")]);
    }

    [Fact]
    public async Task Provision_Twice_CompactedTopicWithInputPartitions()
    {
        var topics = new[] { LedgerChangelog };
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build();

        await ChangelogTopicProvisioner.EnsureAsync(admin, topics, InputPartitions, -1, StateHarness.Timeout);
        await ChangelogTopicProvisioner.EnsureAsync(admin, topics, InputPartitions, -1, StateHarness.Timeout);

        admin.GetMetadata(LedgerChangelog, StateHarness.Timeout).Topics.Single().Partitions.Count.ShouldBe(InputPartitions);
        var described = await admin.DescribeConfigsAsync([new Confluent.Kafka.Admin.ConfigResource
        {
            Type = Confluent.Kafka.Admin.ResourceType.Topic,
            Name = LedgerChangelog,
        }]);
        described.Single().Entries["cleanup.policy"].Value.ShouldBe("compact");
        await Should.ThrowAsync<InvalidOperationException>(() =>
            ChangelogTopicProvisioner.EnsureAsync(admin, topics, InputPartitions + 1, -1, StateHarness.Timeout));
    }

    public void Dispose()
    {
        _dirA.Dispose();
        _dirB.Dispose();
    }

    private StateHarness Harness(TempDirectory dir) => new(_cluster, _applicationId, dir.Path, [Ledger, Windows]);

    private async Task ProvisionAsync()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        await ChangelogTopicProvisioner.EnsureAsync(admin,
            [ChangelogTopics.NameFor(_applicationId, Ledger), ChangelogTopics.NameFor(_applicationId, Windows)],
            InputPartitions, -1, StateHarness.Timeout);
    }

    // Big-endian, so that byte order is numeric order for the non-negative keys used here.
    private static byte[] OrderedKey(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)value);
        return bytes;
    }
}

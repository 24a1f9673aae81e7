using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StreamMasking.Runtime.Processing;
using StreamMasking.Testing.Kafka;

namespace StreamMasking.Runtime.Tests.Processing;

/// <summary>
/// The repartition purge against the fake clients (no broker): records are deleted only below offsets a transaction
/// committed, at most once per interval, and a failed purge is asked again with the next one.
/// </summary>
public sealed class RepartitionPurgerTests
{
    private const string Topic = "repartition";
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly FakeKafkaClientFactory _clients = new();
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void OnCommitted_WithinTheInterval_PurgesOnceItElapsedUpToTheHighestCommitted()
    {
        using var purger = Purger();

        purger.OnCommitted([At(0, 5), new TopicPartitionOffset("other", 0, 9)]);
        _clients.AdminClients.ShouldBeEmpty();
        _time.Advance(Interval);
        purger.OnCommitted([At(0, 3), At(1, 2)]);

        Deleted().ShouldBe(["repartition[0]@5,repartition[1]@2"]);
    }

    [Fact]
    public void OnCommitted_NothingNewSinceTheLastPurge_DoesNotPurgeAgain()
    {
        using var purger = Purger();
        _time.Advance(Interval);
        purger.OnCommitted([At(0, 5)]);
        _time.Advance(Interval);

        purger.OnCommitted([At(0, 5)]);

        Deleted().ShouldBe(["repartition[0]@5"]);
    }

    [Fact]
    public void OnCommitted_PurgeFailed_AskedAgainWithTheNextPurge()
    {
        _clients.Failures.Fail(nameof(IAdminClient.DeleteRecordsAsync), onCall: 1, KafkaFailures.Plain(ErrorCode.RequestTimedOut));
        using var purger = Purger();
        _time.Advance(Interval);
        purger.OnCommitted([At(0, 5)]);
        _time.Advance(Interval);

        purger.OnCommitted([At(1, 1)]);

        _clients.Failures.Calls(nameof(IAdminClient.DeleteRecordsAsync)).ShouldBe(2);
        Deleted().ShouldBe(["repartition[0]@5,repartition[1]@1"]);
    }

    [Fact]
    public void Dispose_CommittedSinceTheLastPurge_PurgesThenClosesTheAdminClient()
    {
        var purger = Purger();
        _time.Advance(Interval);
        purger.OnCommitted([At(0, 5)]);
        purger.OnCommitted([At(0, 8)]);

        purger.Dispose();

        Deleted().ShouldBe(["repartition[0]@5", "repartition[0]@8"]);
        _clients.AdminClients.ShouldHaveSingleItem().IsDisposed.ShouldBeTrue();
    }

    [Fact]
    public async Task Loop_AbortedTransaction_NothingPurgedBeyondWhatCommitted()
    {
        var purger = new RepartitionPurger(_clients, LoopHarness.InputTopic, TimeSpan.Zero, TimeSpan.FromSeconds(1), _time,
            NullLogger.Instance);
        using var loop = new LoopHarness(batchMaxRecords: 3, clients: _clients, purger: purger);
        _clients.Failures.Fail(nameof(IProducer<byte[], byte[]>.CommitTransaction), onCall: 2, KafkaFailures.Abortable(ErrorCode.InvalidTxnState));
        loop.Feed(0, "a", "b", "c", "d", "e", "f");
        loop.Start();

        loop.WaitForCommittedOutputs(6);
        await loop.StopAsync();
        purger.Dispose();

        loop.Outcomes.ShouldBe([FakeTransactionOutcome.Committed, FakeTransactionOutcome.Aborted, FakeTransactionOutcome.Committed]);
        Deleted().ShouldBe(["in[0]@3", "in[0]@6"]);
    }

    private RepartitionPurger Purger() => new(_clients, Topic, Interval, TimeSpan.FromSeconds(1), _time, NullLogger.Instance);

    private static TopicPartitionOffset At(int partition, long offset) => new(Topic, partition, offset);

    private List<string> Deleted() =>
        [.. _clients.AdminClients.SelectMany(a => a.DeletedRecords)
            .Select(r => string.Join(',', r.OrderBy(o => o.Partition.Value).Select(o => $"{o.Topic}[{o.Partition.Value}]@{o.Offset.Value}")))];
}

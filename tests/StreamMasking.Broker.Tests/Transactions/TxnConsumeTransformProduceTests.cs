using System.Collections.Concurrent;
using Confluent.Kafka;
using StreamMasking.Broker.Protocol;
using StreamMasking.Broker.Tests.Groups;

namespace StreamMasking.Broker.Tests.Transactions;

/// <summary>
/// Exactly-once consume-transform-produce with a group of transactional workers that join, leave and crash while input
/// keeps arriving: a read_committed reader of the output sees every input record exactly once.
/// </summary>
public sealed class TxnConsumeTransformProduceTests : IAsyncLifetime
{
    private const int InputPartitions = 6;
    private const int RecordsPerPhase = 200;
    private CoordinatorTestBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await CoordinatorTestBroker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task ConsumeTransformProduce_MembersJoinLeaveAndCrash_EveryInputExactlyOnceInOutput()
    {
        var input = await _broker.CreateTopicAsync(InputPartitions);
        var output = await _broker.CreateTopicAsync(3);
        var groupId = "ctp-" + Guid.NewGuid().ToString("N");
        var processedBy = new ConcurrentDictionary<int, ConcurrentBag<string>>();
        using var seed = new ProducerBuilder<string, string>(_broker.PlainProducerConfig()).Build();
        var next = 0;
        void ProducePhase()
        {
            for (var i = 0; i < RecordsPerPhase; i++, next++)
            {
                seed.Produce(input, new Message<string, string> { Key = "key-" + next, Value = "record-" + next });
            }

            seed.Flush(CoordinatorTestBroker.Timeout);
        }

        using var a = new EosWorker("a", _broker, groupId, input, output, processedBy);
        using var b = new EosWorker("b", _broker, groupId, input, output, processedBy);
        using var c = new EosWorker("c", _broker, groupId, input, output, processedBy);
        using var d = new EosWorker("d", _broker, groupId, input, output, processedBy);
        a.Start();
        b.Start();
        c.Start();
        ProducePhase();
        await WaitForCommittedAsync(groupId, input, RecordsPerPhase, a, b, c);
        await WaitForAsync(() => a.AssignedCount == 2 && b.AssignedCount == 2 && c.AssignedCount == 2);

        // Phase 2: c crashes in the middle of a transaction (its LeaveGroup never arrives); its session and its
        // transaction time out, its partitions move and its uncommitted output is aborted.
        _broker.Broker.Faults.InjectErrors((short)ApiKey.LeaveGroup, (short)StreamMasking.Broker.Protocol.ErrorCode.CoordinatorNotAvailable, 1);
        c.RequestCrash();
        ProducePhase();
        await WaitForAsync(() => c.Completion.IsCompleted, () => $"c did not crash: {c.AssignedCount} partitions, failure {c.Failure}");
        c.CrashedMidTransaction.ShouldBeTrue();

        // Phase 3: a leaves gracefully, d joins.
        ProducePhase();
        await a.StopAsync();
        d.Start();
        ProducePhase();
        await WaitForCommittedAsync(groupId, input, 4 * RecordsPerPhase, b, d);
        await b.StopAsync();
        await d.StopAsync();
        new[] { a, b, c, d }.Where(w => w.Failure is not null).Select(w => w.Name + ": " + w.Failure).ShouldBeEmpty();

        _broker.WriteSentinels(output, 3, "END");
        var values = _broker.ReadUntilSentinels(output, 3, "END", IsolationLevel.ReadCommitted).Select(r => r.Message.Value).ToList();

        values.Count.ShouldBe(4 * RecordsPerPhase, "no record lost or duplicated");
        values.Distinct().Count().ShouldBe(4 * RecordsPerPhase);
        processedBy.Values.ShouldContain(workers => workers.Distinct().Count() >= 2, "some partition moved between workers");
    }

    private long CommittedTotal(string groupId, string input) =>
        _broker.Committed(groupId, input, InputPartitions).Sum(o => o.Offset == Offset.Unset ? 0 : o.Offset.Value);

    private async Task WaitForCommittedAsync(string groupId, string input, long total, params EosWorker[] workers)
    {
        try
        {
            await WaitForAsync(() => CommittedTotal(groupId, input) >= total || workers.Any(w => w.Failure is not null));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Committed {CommittedTotal(groupId, input)} of {total}.");
        }

        workers.Where(w => w.Failure is not null).Select(w => w.Name + ": " + w.Failure).ShouldBeEmpty();
    }

    private static async Task WaitForAsync(Func<bool> condition, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(describe?.Invoke() ?? "Condition not reached.");
            }

            await Task.Delay(200);
        }
    }
}

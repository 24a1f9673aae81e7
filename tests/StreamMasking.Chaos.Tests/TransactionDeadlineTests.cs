using System.Diagnostics;
using StreamMasking.Broker;
using StreamMasking.Testing;
using Xunit.Abstractions;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// The chaos test found stages blocked for 50 s in SendOffsetsToTransaction after a broker restart: librdkafka
/// waits for that call without a limit and ignores its timeout while the coordinator does not answer (librdkafka
/// issue 5456), the broker meanwhile times the transaction out and fences the producer, and the service only learnt
/// it at the next connection change. Here the broker holds back its AddOffsetsToTxn answers (the same unbounded
/// wait, made deterministic): the service must stop within the deadline instead of hanging, and after a restart
/// it must resume with every input exactly once.
/// </summary>
public sealed class TransactionDeadlineTests(ITestOutputHelper output)
{
    private const short AddOffsetsToTxnApiKey = 25;

    [Fact]
    public async Task SendOffsetsToTransaction_CoordinatorDoesNotAnswer_ServiceStopsWithinTheDeadlineAndResumesWithNothingLost()
    {
        var root = Directory.CreateTempSubdirectory("streammasking-deadline-");
        await using var broker = await LocalBroker.StartAsync(new LocalBrokerOptions { AutoCreateTopics = false, GroupInitialRebalanceDelayMs = 0 });
        try
        {
            var bootstrap = broker.BootstrapServers;
            var input = "deadline-in-" + Guid.NewGuid().ToString("N")[..8];
            await ChaosTests.CreateTopicAsync(bootstrap, input, partitions: 3);
            var topology = new ChaosTopology("deadline-" + Guid.NewGuid().ToString("N")[..8], input);
            var workload = new ChaosWorkload(input, partitions: 3);
            // Operation timeout 3 s: the deadline of SendOffsetsToTransaction is 6 s.
            var instances = ChaosTests.StartInstances(root.FullName, bootstrap, topology, count: 1, "--StreamMasking:Pipeline:OperationTimeout=00:00:03");
            var service = instances[0];
            var actions = new List<string>();
            try
            {
                workload.Produce(bootstrap, 300);
                await ChaosTests.WaitForOutputsAsync(bootstrap, topology, workload.Produced, TimeSpan.FromMinutes(2));

                // Far longer than the deadline and than the transaction timeout (10 s), shorter than the client's
                // socket timeout (60 s), after which librdkafka would give up on its own.
                broker.Faults.DelayResponses(AddOffsetsToTxnApiKey, TimeSpan.FromSeconds(45));
                workload.Produce(bootstrap, 100);
                var clock = Stopwatch.StartNew();
                while (service.IsRunning && clock.Elapsed < TimeSpan.FromSeconds(40))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200));
                }

                output.WriteLine($"the service ran {clock.Elapsed.TotalSeconds:F1} s after the coordinator stopped answering");
                service.IsRunning.ShouldBeFalse("a stage blocked in SendOffsetsToTransaction must stop the service, not hang it");
                service.RestartIfExited(restart: false).ShouldBeTrue();
                service.UnexpectedExits[^1].ShouldBe(1);
                (await File.ReadAllTextAsync(service.LogFile)).ShouldContain("SendOffsetsToTransaction did not return within");

                broker.Faults.Reset();
                service.Start();
                workload.ProduceFlush(bootstrap, aheadMs: 60_000);
                await ChaosTests.WaitForQuiescenceAsync(bootstrap, topology, workload.Produced, TimeSpan.FromMinutes(3), instances, actions);
            }
            finally
            {
                await service.TerminateAsync(TimeSpan.FromSeconds(60));
                await service.DisposeAsync();
            }

            var verifier = new ChaosVerifier(bootstrap, topology);
            var run = verifier.Verify(TimeSpan.FromMinutes(1));
            output.WriteLine($"consumed {run.Consumed}, published {run.Published}, dead-lettered {run.DeadLettered}; restarts while draining: {actions.Count}");
            verifier.Violations.ShouldBeEmpty();
            run.Consumed.ShouldBe(workload.Produced);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}

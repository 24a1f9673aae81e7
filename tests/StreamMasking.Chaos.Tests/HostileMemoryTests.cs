using Confluent.Kafka;
using StreamMasking.Runtime.Tests.Pipeline.Hostile;
using StreamMasking.Testing;
using Xunit.Abstractions;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// Hostile input through the service as a process of its own (the in-process hostile test in the runtime tests
/// shares its heap with the broker, so it cannot say anything about memory): two equal batches of the same hostile
/// mix, records near the size limit included. Every record is accounted for, and the service's resident memory,
/// sampled while the records flow, stays under <see cref="ResidentBound"/> throughout, and its peak during the second
/// batch stays within a margin of the first's, so memory does not grow with the hostile records handled.
/// </summary>
public sealed class HostileMemoryTests(ITestOutputHelper output)
{
    private const int Batch = 20_000;

    /// <summary>
    /// The stated bound: the memory the Helm chart requests for a pod (its limit is 1 GiB), about twice what the
    /// service holds on this workload (records near 1 MB, the route stage's bounded buffer, RocksDB's caches).
    /// </summary>
    private const long ResidentBound = 512L << 20;

    /// <summary>Growth allowed from the first batch's peak to the second's: a managed heap may still grow a generation.</summary>
    private const long GrowthMargin = 64L << 20;

    [Fact]
    public async Task HostileRecords_TwoBatchesThroughTheService_EveryRecordAccountedForAndMemoryBounded()
    {
        var root = Directory.CreateTempSubdirectory("streammasking-hostile-");
        var broker = await BrokerProcess.StartAsync(Path.Combine(root.FullName, "broker"), 0, null, "--auto-create-topics", "false");
        try
        {
            var bootstrap = broker.BootstrapServers;
            var input = "hostile-in-" + Guid.NewGuid().ToString("N")[..8];
            await ChaosTests.CreateTopicAsync(bootstrap, input, partitions: 3);
            var topology = new ChaosTopology("hostile-" + Guid.NewGuid().ToString("N")[..8], input);
            var instances = ChaosTests.StartInstances(root.FullName, bootstrap, topology, count: 1);
            var service = instances[0];
            var random = new Random(20261203);
            var produced = 0;
            var peaks = new List<long>();
            try
            {
                for (var batch = 0; batch < 2; batch++)
                {
                    using var sampling = new CancellationTokenSource();
                    var sampler = PeakResidentAsync(service.ProcessId!.Value, sampling.Token);
                    produced += Produce(bootstrap, input, produced, Batch, random);
                    await ChaosTests.WaitForOutputsAsync(bootstrap, topology, produced, TimeSpan.FromMinutes(4));
                    await sampling.CancelAsync();
                    peaks.Add(await sampler);
                    service.IsRunning.ShouldBeTrue("hostile input must not stop the service");
                    output.WriteLine($"batch {batch + 1} ({produced} records so far): service peak resident memory {peaks[^1] / 1e6:F0} MB");
                }
            }
            finally
            {
                await service.TerminateAsync(TimeSpan.FromSeconds(60));
                await service.DisposeAsync();
            }

            service.UnexpectedExits.ShouldBeEmpty();
            peaks.Max().ShouldBeLessThan(ResidentBound, "the service's resident memory while hostile input flows");
            peaks[1].ShouldBeLessThan(peaks[0] + GrowthMargin, "resident memory grew with the hostile records handled");

            var verifier = new ChaosVerifier(bootstrap, topology);
            var run = verifier.Verify(TimeSpan.FromMinutes(2));
            output.WriteLine($"consumed {run.Consumed}, published {run.Published}, dead-lettered {run.DeadLettered}");
            verifier.Violations.ShouldBeEmpty();
            run.Consumed.ShouldBe(produced);
        }
        finally
        {
            await broker.DisposeAsync();
            root.Delete(recursive: true);
        }
    }

    // The largest resident size of the process, sampled every 100 ms until cancelled.
    private static async Task<long> PeakResidentAsync(int pid, CancellationToken stop)
    {
        long peak = 0;
        while (true)
        {
            peak = Math.Max(peak, ProcessResources.Read(pid).ResidentBytes);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
            }
            catch (OperationCanceledException)
            {
                return Math.Max(peak, ProcessResources.Read(pid).ResidentBytes);
            }
        }
    }

    private static int Produce(string bootstrap, string topic, int first, int count, Random random)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            MessageMaxBytes = 1_000_000,
        }).Build();
        for (var i = first; i < first + count; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(topic, i % 3), HostileRecords.Create(i, random));
                    break;
                }
                catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2)).ShouldBe(0);
        return count;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMasking.Testing;
using Xunit.Abstractions;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// The steady workload through one service instance and the local broker, both as their own processes, sampling
/// resident memory, threads and open files of each and the service's own output counters: a few minutes in the
/// suite, an hour with <c>./test.sh --soak</c> (the curve then goes to <c>STREAMMASKING_SOAK_REPORT</c> for
/// BENCHMARKS.md). After warm-up nothing may grow: memory in the last third of the run stays within a factor of the
/// first third's, threads and open files within a few of theirs, and the service keeps up with the input throughout.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private static readonly bool Soak = Environment.GetEnvironmentVariable("STREAMMASKING_SOAK") == "1";

    [Fact]
    public async Task SteadyWorkload_MemoryThreadsAndFilesStayFlatAfterWarmUp()
    {
        var duration = Soak ? TimeSpan.FromHours(1) : TimeSpan.FromSeconds(50);
        // The broker's resident memory climbs for several minutes while its segment cache and indexes fill (about
        // eight in the hour run), then stays within a band: growth is judged after that.
        var warmUp = Soak ? TimeSpan.FromMinutes(10) : TimeSpan.FromSeconds(20);
        var every = Soak ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(5);
        var rate = Soak ? 200 : 150;
        // An hour must be flat; the short run only catches a leak per record or per transaction.
        var memoryFactor = Soak ? 1.25 : 2.0;

        var root = Directory.CreateTempSubdirectory("streammasking-soak-");
        var broker = await BrokerProcess.StartAsync(Path.Combine(root.FullName, "broker"), 0, null, "--auto-create-topics", "false");
        var prefix = "soak-" + Guid.NewGuid().ToString("N")[..8];
        var topology = new ChaosTopology(prefix, prefix + "-in");
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = topology.InputTopic, NumPartitions = 6, ReplicationFactor = 1 }]);
        }

        var policy = Path.Combine(root.FullName, "policy.yaml");
        await File.WriteAllTextAsync(policy, topology.PolicyYaml);
        var port = FreePort();
        var state = Path.Combine(root.FullName, "state");
        var bootstrap = broker.BootstrapServers;
        var service = new ServiceProcess(prefix + "-i1", state, Path.Combine(root.FullName, "service.log"),
            () => topology.RunArguments(bootstrap, policy, prefix + "-i1", state, port),
            new Dictionary<string, string> { ["STREAMMASKING_MASTER_SECRET"] = Convert.ToBase64String(Enumerable.Range(3, 32).Select(i => (byte)i).ToArray()) });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var samples = new List<SoakSample>();
        try
        {
            service.Start();
            var workload = new ChaosWorkload(topology.InputTopic, partitions: 6);
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource(duration);
            var driving = workload.RunAsync(bootstrap, rate, stop.Token);
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(every, CancellationToken.None);
                service.IsRunning.ShouldBeTrue("the service stopped during the soak: see its log");
                samples.Add(new SoakSample(clock.Elapsed, workload.Produced, await OutputCountAsync(http, port),
                    ProcessResources.Read(service.ProcessId!.Value), ProcessResources.Read(broker.ProcessId)));
            }

            await driving;
            workload.ProduceFlush(bootstrap, aheadMs: 60_000);
            var drained = Stopwatch.StartNew();
            while (await OutputCountAsync(http, port) < workload.Produced)
            {
                drained.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3), "every produced record must be published, dead-lettered or dropped");
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
        finally
        {
            var report = Report(samples, rate);
            output.WriteLine(report);
            if (Environment.GetEnvironmentVariable("STREAMMASKING_SOAK_REPORT") is { Length: > 0 } file)
            {
                await File.WriteAllTextAsync(file, report);
            }

            await service.TerminateAsync(TimeSpan.FromSeconds(60));
            await service.DisposeAsync();
            await broker.DisposeAsync();
            root.Delete(recursive: true);
        }

        // Flat = the last third after warm-up holds no more than the first third did (a trend, not a level).
        var measured = samples.Where(s => s.Elapsed > warmUp).ToList();
        var third = Math.Max(1, measured.Count / 3);
        var baseline = measured.Take(third).ToList();
        var after = measured.Skip(measured.Count - third).ToList();
        baseline.ShouldNotBeEmpty();
        after.ShouldNotBeEmpty();
        foreach (var (name, pick) in new (string, Func<SoakSample, ProcessResources>)[] { ("service", s => s.Service), ("broker", s => s.Broker) })
        {
            var memory = baseline.Max(s => pick(s).ResidentBytes);
            after.Max(s => pick(s).ResidentBytes).ShouldBeLessThanOrEqualTo((long)(memory * memoryFactor), $"{name} resident memory grew after warm-up");
            after.Max(s => pick(s).Threads).ShouldBeLessThanOrEqualTo(baseline.Max(s => pick(s).Threads) + 10, $"{name} threads grew after warm-up");
            after.Max(s => pick(s).OpenFiles).ShouldBeLessThanOrEqualTo(baseline.Max(s => pick(s).OpenFiles) + 32, $"{name} open files grew after warm-up");
        }

        // Keeping up: the backlog never exceeds a minute of input.
        foreach (var sample in measured)
        {
            (sample.Produced - sample.Output).ShouldBeLessThanOrEqualTo(rate * 60L, $"the service fell behind at {sample.Elapsed}");
        }
    }

    /// <summary>Records the service has finished with, from its own counters: published + dead-lettered + dropped.</summary>
    private static async Task<long> OutputCountAsync(HttpClient http, int port)
    {
        string text;
        try
        {
            text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics"));
        }
        catch (HttpRequestException)
        {
            return 0; // still starting
        }

        double total = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("streammasking_records_published_total", StringComparison.Ordinal)
                || line.StartsWith("streammasking_records_dead_lettered_total", StringComparison.Ordinal)
                || line.StartsWith("streammasking_records_dropped_total", StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return (long)total;
    }

    private static string Report(List<SoakSample> samples, int rate)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"soak: {rate} records/s offered; service and broker as processes");
        text.AppendLine("| t (s) | produced | output | output/s | service RSS (MB) | threads | fds | broker RSS (MB) | threads | fds |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        SoakSample? previous = null;
        foreach (var s in samples)
        {
            var perSecond = previous is null ? 0 : (s.Output - previous.Output) / (s.Elapsed - previous.Elapsed).TotalSeconds;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Elapsed.TotalSeconds:F0} | {s.Produced} | {s.Output} | {perSecond:F0} | {s.Service.ResidentBytes / 1e6:F0} | {s.Service.Threads} | {s.Service.OpenFiles} | {s.Broker.ResidentBytes / 1e6:F0} | {s.Broker.Threads} | {s.Broker.OpenFiles} |");
            previous = s;
        }

        return text.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka.Admin;
using Confluent.Kafka;
using StreamMasking.Testing;
using Xunit.Abstractions;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// Faults of the resources around one service instance: the broker gone for longer than the transaction timeout,
/// the state volume full mid-run, the policy file replaced by an invalid one. The service
/// stops or pauses with a clear message, loses nothing, and once the fault is gone (and a supervisor restarts it,
/// as Kubernetes does) it resumes: the verifier then finds every input exactly once and nothing overspent.
/// </summary>
/// <remarks>The state-directory faults mount a small tmpfs, so they need root; elsewhere they are skipped.</remarks>
public sealed class ResourceFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task BrokerUnreachable_LongerThanTheTransactionTimeout_ResumesWithNothingLost()
    {
        await using var run = await FaultRun.StartAsync(output);
        await run.ProduceForAsync(TimeSpan.FromSeconds(6));
        var port = run.Broker.Port;
        await run.Broker.KillAsync();
        await run.Broker.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(18)); // transaction timeout 10 s
        run.Broker = await BrokerProcess.StartAsync(run.BrokerData, port, null, "--auto-create-topics", "false");
        await run.ProduceForAsync(TimeSpan.FromSeconds(6));
        await run.FinishAndVerifyAsync();
    }

    [SkippableFact]
    public async Task StateDirectory_VolumeFull_StopsWithAMessageAndResumesWithNothingLost()
    {
        Skip.IfNot(Environment.UserName == "root" || Environment.GetEnvironmentVariable("CI") == "true", "mounting a tmpfs needs root");
        await using var run = await FaultRun.StartAsync(output, stateOnTmpfs: true);
        await run.ProduceForAsync(TimeSpan.FromSeconds(6));

        // A read-only remount is refused while RocksDB holds files open for writing, so the fault is a full volume.
        var filler = Path.Combine(run.StateDirectory, "filler");
        Fill(filler);
        await run.ProduceForAsync(TimeSpan.FromSeconds(6));
        var exited = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"full state volume: the service {(exited ? "stopped" : "kept running (paused)")}");
        File.Delete(filler);
        run.Service.RestartIfExited();

        var log = await File.ReadAllTextAsync(run.Service.LogFile);
        log.ShouldContain("No space left", Case.Insensitive, "a full state volume must be named in the log");
        await run.FinishAndVerifyAsync();
    }

    [Fact]
    public async Task PolicyFile_ReplacedByAnInvalidOne_RestartRefusedWithAMessageThenResumes()
    {
        await using var run = await FaultRun.StartAsync(output);
        await run.ProduceForAsync(TimeSpan.FromSeconds(5));
        var valid = await File.ReadAllTextAsync(run.PolicyFile);
        await File.WriteAllTextAsync(run.PolicyFile, valid.Replace("kind: count", "kind: median", StringComparison.Ordinal));
        await run.Service.TerminateAsync(TimeSpan.FromSeconds(60));
        run.Service.Start();
        (await run.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBeTrue("an invalid policy must stop the start");
        run.Service.RestartIfExited(restart: false).ShouldBeTrue();
        run.Service.UnexpectedExits[^1].ShouldBe(2);
        (await File.ReadAllTextAsync(run.Service.LogFile)).ShouldContain("The policy is invalid");

        await File.WriteAllTextAsync(run.PolicyFile, valid);
        run.Service.Start();
        await run.ProduceForAsync(TimeSpan.FromSeconds(5));
        await run.FinishAndVerifyAsync();
    }

    private static void Mount(params string[] arguments)
    {
        using var mount = Process.Start(new ProcessStartInfo("mount", arguments) { UseShellExecute = false, RedirectStandardError = true })!;
        mount.WaitForExit();
        mount.ExitCode.ShouldBe(0, mount.StandardError.ReadToEnd());
    }

    private static void Fill(string path)
    {
        using var file = File.Create(path);
        var block = new byte[1 << 20];
        try
        {
            while (true)
            {
                file.Write(block);
                file.Flush();
            }
        }
        catch (IOException)
        {
            // No space left: the volume is full.
        }
    }

    /// <summary>A broker process, one service instance and the workload, for one fault scenario.</summary>
    private sealed class FaultRun : IAsyncDisposable
    {
        private readonly ITestOutputHelper _output;
        private readonly DirectoryInfo _root;
        private readonly ChaosTopology _topology;
        private readonly ChaosWorkload _workload;
        private readonly bool _tmpfs;

        private FaultRun(ITestOutputHelper output, DirectoryInfo root, BrokerProcess broker, ChaosTopology topology, bool tmpfs)
        {
            _output = output;
            _root = root;
            Broker = broker;
            _topology = topology;
            _workload = new ChaosWorkload(topology.InputTopic, partitions: 3);
            _tmpfs = tmpfs;
            BrokerData = Path.Combine(root.FullName, "broker");
            StateDirectory = Path.Combine(root.FullName, "state");
            PolicyFile = Path.Combine(root.FullName, "policy.yaml");
        }

        internal BrokerProcess Broker { get; set; }

        internal string BrokerData { get; }

        internal string StateDirectory { get; }

        internal string PolicyFile { get; }

        internal ServiceProcess Service { get; private set; } = null!;

        internal static async Task<FaultRun> StartAsync(ITestOutputHelper output, bool stateOnTmpfs = false)
        {
            var root = Directory.CreateTempSubdirectory("streammasking-fault-");
            var broker = await BrokerProcess.StartAsync(Path.Combine(root.FullName, "broker"), 0, null, "--auto-create-topics", "false");
            var prefix = "fault-" + Guid.NewGuid().ToString("N")[..8];
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = prefix + "-in", NumPartitions = 3, ReplicationFactor = 1 }]);
            }

            var run = new FaultRun(output, root, broker, new ChaosTopology(prefix, prefix + "-in"), stateOnTmpfs);
            Directory.CreateDirectory(run.StateDirectory);
            if (stateOnTmpfs)
            {
                Mount("-t", "tmpfs", "-o", "size=48m", "tmpfs", run.StateDirectory);
            }

            await File.WriteAllTextAsync(run.PolicyFile, run._topology.PolicyYaml);
            var port = FreePort();
            var bootstrap = broker.BootstrapServers;
            run.Service = new ServiceProcess(prefix + "-i1", run.StateDirectory, Path.Combine(root.FullName, "service.log"),
                () => run._topology.RunArguments(bootstrap, run.PolicyFile, prefix + "-i1", run.StateDirectory, port),
                new Dictionary<string, string> { ["STREAMMASKING_MASTER_SECRET"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 9)).ToArray()) });
            run.Service.Start();
            return run;
        }

        internal async Task ProduceForAsync(TimeSpan duration)
        {
            using var stop = new CancellationTokenSource(duration);
            await _workload.RunAsync(Broker.BootstrapServers, 100, stop.Token);
        }

        internal async Task<bool> WaitForExitAsync(TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (!Service.IsRunning)
                {
                    return true;
                }

                await Task.Delay(200);
            }

            return false;
        }

        internal async Task FinishAndVerifyAsync()
        {
            Service.RestartIfExited();
            _workload.ProduceFlush(Broker.BootstrapServers, aheadMs: 60_000);
            var deadline = Stopwatch.StartNew();
            var verifier = new ChaosVerifier(Broker.BootstrapServers, _topology);
            while (true)
            {
                // A supervisor restarts a service that stopped on its own, as Kubernetes would.
                if (Service.RestartIfExited())
                {
                    _output.WriteLine($"the service exited with code {Service.UnexpectedExits[^1]}; restarted");
                }

                verifier = new ChaosVerifier(Broker.BootstrapServers, _topology);
                try
                {
                    var result = verifier.Verify(TimeSpan.FromSeconds(60));
                    if (verifier.Violations.Count == 0 || deadline.Elapsed > TimeSpan.FromMinutes(4))
                    {
                        _output.WriteLine($"consumed {result.Consumed}, published {result.Published}, dead-lettered {result.DeadLettered}, {result.Releases.Count} releases");
                        break;
                    }
                }
                catch (Exception e) when (e is KafkaException or TimeoutException && deadline.Elapsed < TimeSpan.FromMinutes(4))
                {
                }

                await Task.Delay(TimeSpan.FromSeconds(3));
            }

            verifier.Violations.ShouldBeEmpty();
        }

        public async ValueTask DisposeAsync()
        {
            await Service.DisposeAsync();
            await Broker.DisposeAsync();
            if (_tmpfs)
            {
                using var umount = Process.Start(new ProcessStartInfo("umount", [StateDirectory]) { UseShellExecute = false })!;
                await umount.WaitForExitAsync();
            }

            if (Environment.GetEnvironmentVariable("STREAMMASKING_KEEP_CHAOS") != "1")
            {
                _root.Delete(recursive: true);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

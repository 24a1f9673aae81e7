using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMasking.Testing;
using Xunit.Abstractions;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// The broker and three service instances as their own processes under a steady load, while a chaos loop SIGKILLs
/// and restarts instances (sometimes wiping their state directory, so state is restored from the changelog),
/// SIGSTOPs one past the session timeout and resumes it (a zombie with open transactions), SIGTERMs one, and
/// kills and restarts the broker from its data directory. Afterwards <see cref="ChaosVerifier"/> reads everything
/// as a downstream consumer would, and an uninterrupted run of a second application over the same input must
/// have released the same windows with the same bytes.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    /// <remarks>
    /// In the suite every fault kind once (<see cref="ChaosSettings"/>); an hour of random faults with
    /// <c>STREAMMASKING_SOAK=1</c>. Releases are compared byte for byte with the reference: contribution bounding keeps
    /// a unit's earliest records by event time, source and offset, so the different interleaving of source partitions
    /// after restarts does not change which records a window counts.
    /// </remarks>
    [Fact]
    public async Task ChaosLoop_KillsFreezesAndBrokerRestarts_NothingLostDuplicatedOrOverspent()
    {
        var settings = ChaosSettings.Current;
        var root = Directory.CreateTempSubdirectory("streammasking-chaos-");
        var brokerData = Directory.CreateDirectory(Path.Combine(root.FullName, "broker")).FullName;
        var broker = await BrokerProcess.StartAsync(brokerData, 0, null, "--auto-create-topics", "false");
        var bootstrap = broker.BootstrapServers;
        try
        {
            var input = "chaos-in-" + Guid.NewGuid().ToString("N")[..8];
            await CreateTopicAsync(bootstrap, input, partitions: 6);
            var chaos = new ChaosTopology("chaos-" + Guid.NewGuid().ToString("N")[..8], input);
            var workload = new ChaosWorkload(input, partitions: 6);
            var instances = StartInstances(root.FullName, bootstrap, chaos, count: 3);
            var random = new Random(settings.Seed);
            var actions = new List<string>();
            try
            {
                using var stop = new CancellationTokenSource();
                var driving = workload.RunAsync(bootstrap, settings.RecordsPerSecond, stop.Token);
                var deadline = Stopwatch.StartNew();
                for (var step = 0; settings.Schedule is { } schedule ? step < schedule.Count : deadline.Elapsed < settings.Duration; step++)
                {
                    await Task.Delay(settings.ActionInterval, CancellationToken.None);
                    foreach (var restarted in instances.Where(i => i.RestartIfExited()))
                    {
                        actions.Add($"{restarted.InstanceId} had exited on its own (code {restarted.UnexpectedExits[^1]}): restarted");
                    }

                    var instance = instances[random.Next(instances.Count)];
                    var fault = settings.Schedule?[step] ?? ChaosSettings.RandomFault(random);
                    switch (fault)
                    {
                        case ChaosFault.Kill or ChaosFault.KillAndWipe:
                            await instance.KillAsync();
                            if (fault == ChaosFault.KillAndWipe)
                            {
                                Directory.Delete(instance.StateDirectory, recursive: true);
                            }

                            await Task.Delay(TimeSpan.FromSeconds(random.Next(1, 4)));
                            instance.Start();
                            actions.Add($"SIGKILL {instance.InstanceId}{(fault == ChaosFault.KillAndWipe ? " and wipe its state" : string.Empty)}, restart");
                            break;
                        case ChaosFault.Freeze:
                            instance.Freeze();
                            await Task.Delay(TimeSpan.FromSeconds(9)); // past the 6 s session timeout
                            instance.Thaw();
                            actions.Add($"SIGSTOP {instance.InstanceId} for 9 s, SIGCONT");
                            break;
                        case ChaosFault.Terminate:
                            await instance.TerminateAsync(TimeSpan.FromSeconds(60));
                            instance.Start();
                            actions.Add($"SIGTERM {instance.InstanceId}, restart");
                            break;
                        case ChaosFault.BrokerKill:
                            var port = broker.Port;
                            await broker.KillAsync();
                            await broker.DisposeAsync();
                            await Task.Delay(TimeSpan.FromSeconds(2));
                            broker = await BrokerProcess.StartAsync(brokerData, port, null, "--auto-create-topics", "false");
                            actions.Add("SIGKILL the broker, restart it from its data directory");
                            break;
                    }
                }

                await stop.CancelAsync();
                await driving;
                foreach (var i in instances)
                {
                    i.RestartIfExited();
                }

                workload.ProduceFlush(bootstrap, aheadMs: 60_000);
                output.WriteLine($"{workload.Produced} records produced; chaos actions:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", actions)}");
                await WaitForQuiescenceAsync(bootstrap, chaos, workload.Produced, TimeSpan.FromMinutes(5), instances, actions);
            }
            finally
            {
                foreach (var i in instances)
                {
                    await i.TerminateAsync(TimeSpan.FromSeconds(60));
                    await i.DisposeAsync();
                }
            }

            var verifier = new ChaosVerifier(bootstrap, chaos);
            var run = verifier.Verify(TimeSpan.FromMinutes(2));
            output.WriteLine($"chaos run: consumed {run.Consumed}, published {run.Published}, dead-lettered {run.DeadLettered}, {run.Releases.Count} releases");

            // The reference: a second application, never interrupted, over the same (now complete) input.
            var reference = new ChaosTopology("ref-" + Guid.NewGuid().ToString("N")[..8], input);
            var single = StartInstances(root.FullName, bootstrap, reference, count: 1);
            var referenceExits = new List<string>();
            try
            {
                await WaitForQuiescenceAsync(bootstrap, reference, workload.Produced, TimeSpan.FromMinutes(5), single, referenceExits);
                referenceExits.ShouldBeEmpty("the uninterrupted reference run must not stop on its own");
            }
            finally
            {
                await single[0].TerminateAsync(TimeSpan.FromSeconds(60));
                await single[0].DisposeAsync();
            }

            var referenceVerifier = new ChaosVerifier(bootstrap, reference);
            var expected = referenceVerifier.Verify(TimeSpan.FromMinutes(2));
            referenceVerifier.Violations.ShouldBeEmpty("the uninterrupted reference run");
            CompareReleases(run, expected, verifier.Violations);
            foreach (var i in instances.Where(i => i.UnexpectedExits.Count > 0))
            {
                output.WriteLine($"{i.InstanceId} exited on its own {i.UnexpectedExits.Count} times (codes {string.Join(',', i.UnexpectedExits)})");
            }

            foreach (var kind in verifier.Violations.GroupBy(v => string.Join(' ', v.Split(' ').Where(w => !w.Any(char.IsDigit)).Take(6))))
            {
                output.WriteLine($"{kind.Count()} × {kind.First()}");
            }

            verifier.Violations.ShouldBeEmpty();
            run.Consumed.ShouldBe(workload.Produced);
            run.Releases.Count.ShouldBeGreaterThan(0);
        }
        finally
        {
            await broker.DisposeAsync();
            if (Environment.GetEnvironmentVariable("STREAMMASKING_KEEP_CHAOS") != "1")
            {
                root.Delete(recursive: true);
            }
        }
    }

    /// <summary>
    /// The negative control: exactly-once deliberately broken (an at-least-once copy that crashes between its writes
    /// and its offset commit) must be caught by the same verifier.
    /// </summary>
    [Fact]
    public async Task Verifier_AtLeastOnceCopyWithCrashes_ReportsTheDuplicates()
    {
        var root = Directory.CreateTempSubdirectory("streammasking-chaos-control-");
        var broker = await BrokerProcess.StartAsync(Path.Combine(root.FullName, "broker"), 0, null, "--auto-create-topics", "false");
        try
        {
            var bootstrap = broker.BootstrapServers;
            var input = "control-in-" + Guid.NewGuid().ToString("N")[..8];
            await CreateTopicAsync(bootstrap, input, partitions: 6);
            var topology = new ChaosTopology("control-" + Guid.NewGuid().ToString("N")[..8], input);
            foreach (var topic in topology.MaskedTopics.Concat([topology.DeadLetterTopic, topology.AggregatesTopic, topology.AuditTopic]))
            {
                await CreateTopicAsync(bootstrap, topic, partitions: 3);
            }

            var workload = new ChaosWorkload(input, partitions: 6);
            workload.Produce(bootstrap, 2_000);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await AtLeastOnceCopier.CopyWithCrashesAsync(bootstrap, topology, workload.Produced, crashEvery: 7, timeout.Token);

            var verifier = new ChaosVerifier(bootstrap, topology);
            verifier.Verify(TimeSpan.FromMinutes(1));
            output.WriteLine(string.Join(Environment.NewLine, verifier.Violations.Take(10)));
            verifier.Violations.ShouldContain(v => v.Contains("published twice", StringComparison.Ordinal));
            verifier.Violations.ShouldContain(v => v.StartsWith("consumed ", StringComparison.Ordinal));
        }
        finally
        {
            await broker.DisposeAsync();
            root.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Every release of the chaos run equals the reference's, byte for byte, none is missing or extra, and both
    /// suppressed the same releases.
    /// </summary>
    private static void CompareReleases(VerifiedRun run, VerifiedRun expected, List<string> violations)
    {
        foreach (var (key, bytes) in expected.Releases)
        {
            if (!run.Releases.TryGetValue(key, out var actual))
            {
                violations.Add($"release {key} of the uninterrupted run is missing from the chaos run");
            }
            else if (actual != bytes)
            {
                violations.Add($"release {key} differs from the uninterrupted run: {actual} vs {bytes}");
            }
        }

        violations.AddRange(run.Releases.Keys.Where(k => !expected.Releases.ContainsKey(k)).Select(k => $"release {k} was not released by the uninterrupted run"));

        // Every suppression is audited, and the same ones: a window the uninterrupted run suppressed (budget spent)
        // must be suppressed here too, never released or silently skipped.
        violations.AddRange(expected.Suppressed.Where(k => !run.Suppressed.Contains(k)).Select(k => $"suppression {k} of the uninterrupted run is not audited by the chaos run"));
        violations.AddRange(run.Suppressed.Where(k => !expected.Suppressed.Contains(k)).Select(k => $"suppression {k} was not made by the uninterrupted run"));
    }

    internal static List<ServiceProcess> StartInstances(string root, string bootstrap, ChaosTopology topology, int count, params string[] extraArguments)
    {
        var policy = Path.Combine(root, topology.Prefix + "-policy.yaml");
        File.WriteAllText(policy, topology.PolicyYaml);
        var environment = new Dictionary<string, string>
        {
            ["STREAMMASKING_MASTER_SECRET"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        };
        var instances = new List<ServiceProcess>();
        for (var i = 1; i <= count; i++)
        {
            var id = topology.Prefix + "-i" + i.ToString(CultureInfo.InvariantCulture);
            var state = Path.Combine(root, id + "-state");
            var port = FreePort();
            var instance = new ServiceProcess(id, state, Path.Combine(root, id + ".log"),
                () => [.. topology.RunArguments(bootstrap, policy, id, state, port), .. extraArguments], environment);
            instance.Start();
            instances.Add(instance);
        }

        return instances;
    }

    /// <summary>Waits until every produced record has an output (masked or dead-lettered).</summary>
    internal static async Task WaitForOutputsAsync(string bootstrap, ChaosTopology topology, long produced, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        long outputs;
        while ((outputs = CountCommitted(bootstrap, topology.MaskedTopics.Append(topology.DeadLetterTopic))) < produced)
        {
            clock.Elapsed.ShouldBeLessThan(timeout, $"{topology.Prefix}: {outputs} of {produced} records have an output");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Waits until every produced record has an output and the aggregates topic stopped growing.</summary>
    internal static async Task WaitForQuiescenceAsync(string bootstrap, ChaosTopology topology, long produced, TimeSpan timeout,
        IReadOnlyList<ServiceProcess> instances, List<string> actions)
    {
        var clock = Stopwatch.StartNew();
        long lastReleases = -1;
        var stableSince = TimeSpan.Zero;
        while (true)
        {
            var outputs = CountCommitted(bootstrap, topology.MaskedTopics.Append(topology.DeadLetterTopic));
            var releases = CountCommitted(bootstrap, [topology.AggregatesTopic]);
            if (outputs >= produced && releases == lastReleases)
            {
                if (clock.Elapsed - stableSince > TimeSpan.FromSeconds(15))
                {
                    return;
                }
            }
            else
            {
                stableSince = clock.Elapsed;
            }

            lastReleases = releases;
            foreach (var restarted in instances.Where(i => i.RestartIfExited()))
            {
                // A supervisor restarts an instance that stopped on its own, as Kubernetes would.
                actions.Add($"{restarted.InstanceId} exited on its own (code {restarted.UnexpectedExits[^1]}) while draining: restarted");
            }

            clock.Elapsed.ShouldBeLessThan(timeout, $"{topology.Prefix}: {outputs} of {produced} records have an output, {releases} releases");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private static long CountCommitted(string bootstrap, IEnumerable<string> topics)
    {
        long total = 0;
        foreach (var topic in topics)
        {
            try
            {
                total += CommittedLog.Read(bootstrap, topic, TimeSpan.FromSeconds(30)).Count;
            }
            catch (Exception e) when (e is KafkaException or TimeoutException)
            {
                // The topic may not exist yet (the application is still provisioning it) or the broker is restarting.
            }
        }

        return total;
    }

    internal static async Task CreateTopicAsync(string bootstrap, string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

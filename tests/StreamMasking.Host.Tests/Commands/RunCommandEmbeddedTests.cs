using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using StreamMasking.Host.Demo;
using StreamMasking.Host.Tests.Support;

namespace StreamMasking.Host.Tests.Commands;

/// <summary><c>run</c> without bootstrap servers starts the embedded broker, masks, and stops cleanly on SIGTERM.</summary>
public sealed partial class RunCommandEmbeddedTests
{
    [Fact]
    public async Task Run_WithoutBootstrapServers_UsesEmbeddedBrokerAndStopsCleanlyOnSigterm()
    {
        var directory = Directory.CreateTempSubdirectory("sm-embedded-");
        var environment = new Dictionary<string, string>
        {
            ["STREAMMASKING__KAFKA__BOOTSTRAPSERVERS"] = string.Empty,
            ["KAFKA_BOOTSTRAP_SERVERS"] = string.Empty,
            ["STREAMMASKING__PIPELINE__INPUTTOPICS__0"] = "embedded.input",
            ["STREAMMASKING__TOPICS__PROVISIONINPUTTOPICS"] = "true",
            ["STREAMMASKING__TOPICS__PARTITIONS"] = "2",
            // All 50 records must show up on the masked or dead-letter topics: no deliberate drops.
            ["STREAMMASKING__POLICY__FILE"] = TestPolicies.DemoWithoutDrops(directory.FullName),
            ["STREAMMASKING__STATE__DIRECTORY"] = Path.Combine(directory.FullName, "state"),
            ["STREAMMASKING_MASTER_SECRET"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        using var service = HostProcess.Start(environment, "run");

        var bootstrap = await WaitForAsync(service, () => Listening().Match(service.Output) is { Success: true } m ? m.Groups[1].Value : null);
        await WaitForAsync(service, () => service.Output.Contains("Pipeline started", StringComparison.Ordinal) ? "started" : null);
        using (var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).SetLogHandler(static (_, _) => { }).Build())
        {
            for (var i = 0; i < 50; i++)
            {
                producer.Produce("embedded.input", new Message<Null, byte[]> { Value = SyntheticEvents.Next(i, DateTimeOffset.UnixEpoch).Value });
            }

            producer.Flush(TimeSpan.FromSeconds(30)).ShouldBe(0);
        }

        string[] finals = ["masked.clinic-a.eu.visits", "masked.clinic-a.us.visits", "masked.clinic-b.eu.visits", "masked.clinic-b.us.visits", "masked.payments", "streammasking.dlq"];
        await WaitForAsync(service, () => finals.Sum(t => TopicReader.ReadAll(bootstrap, t, IsolationLevel.ReadCommitted).Count) >= 50 ? "done" : null);

        using (var term = Process.Start("kill", ["-TERM", ServicePid(service)]))
        {
            await term!.WaitForExitAsync();
        }

        (await service.WaitAsync(TimeSpan.FromMinutes(1))).ShouldBe(0, service.Error);
        service.Output.ShouldContain("Stage mask stopped");
        directory.Delete(recursive: true);
    }

    private static string ServicePid(HostProcess service) => service.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> WaitForAsync(HostProcess service, Func<string?> probe)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            service.HasExited.ShouldBeFalse($"service exited: {service.Output} {service.Error}");
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3), $"timed out; output: {service.Output} {service.Error}");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"Embedded local broker listening on (\S+)")]
    private static partial Regex Listening();
}

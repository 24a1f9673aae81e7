using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMasking.Host.Demo;
using StreamMasking.Host.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Host.Tests.Commands;

/// <summary>
/// Crash test with both the broker and the service as separate OS processes: the service is killed (SIGKILL) while
/// a transaction is open, restarted with the same instance id, and must complete the work exactly once.
/// </summary>
public sealed class RunCommandCrashTests : IDisposable
{
    private const int Records = 3000;
    private const string Input = "crash.input";
    private static readonly string[] MaskedTopics =
        ["masked.clinic-a.eu.visits", "masked.clinic-a.us.visits", "masked.clinic-b.eu.visits", "masked.clinic-b.us.visits", "masked.payments"];

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("sm-crash-").FullName;
    private readonly string _serviceDirectory = Directory.CreateTempSubdirectory("sm-crash-service-").FullName;

    [Fact]
    public async Task Run_KilledWithOpenTransaction_RestartCompletesWithNoLossAndNoDuplicates()
    {
        using var broker = await BrokerCommandProcess.StartAsync(_dataDirectory);
        await ProduceInputAsync(broker.BootstrapServers);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string[] outputs = [.. MaskedTopics, "streammasking.dlq", "streammasking.repartition"];

        // First incarnation: transactions stay open for a minute, so the kill lands inside one.
        using (var first = HostProcess.Start(Environment(broker.BootstrapServers, secret, batchInterval: "00:01:00"), "run"))
        {
            await WaitUntilAsync(() => Count(broker.BootstrapServers, outputs, IsolationLevel.ReadUncommitted)
                                       > Count(broker.BootstrapServers, outputs, IsolationLevel.ReadCommitted), first, "an open transaction on the broker");
            first.Kill();
        }

        var visibleBefore = Count(broker.BootstrapServers, outputs, IsolationLevel.ReadCommitted);
        var writtenBefore = Count(broker.BootstrapServers, outputs, IsolationLevel.ReadUncommitted);
        writtenBefore.ShouldBeGreaterThan(visibleBefore, "the kill left records of an open transaction in the log");

        // Restart with the same instance id: InitTransactions aborts the dead incarnation's transaction.
        using (var second = HostProcess.Start(Environment(broker.BootstrapServers, secret, batchInterval: "00:00:00.200"), "run"))
        {
            await WaitUntilAsync(() => Finals(broker.BootstrapServers).Count >= Records, second, "all records masked or dead-lettered");
            second.Kill();
        }

        var finals = Finals(broker.BootstrapServers);
        var sources = finals.Select(r => Header(r, "sm-source-partition") + "/" + Header(r, "sm-source-offset")).ToList();
        sources.Count.ShouldBe(Records, "no duplicates visible to a read_committed consumer");
        sources.Distinct().Count().ShouldBe(Records, "no loss");
        finals.ShouldAllBe(r => Header(r, "sm-source-topic") == Input);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_serviceDirectory, recursive: true);
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The broker process may still hold files for a moment; temp space is reclaimed by the OS.
        }
    }

    private static List<ConsumeResult<byte[]?, byte[]?>> Finals(string bootstrap) =>
        MaskedTopics.Append("streammasking.dlq")
            .SelectMany(t => TopicReader.ReadAll(bootstrap, t, IsolationLevel.ReadCommitted))
            .ToList();

    private static int Count(string bootstrap, IEnumerable<string> topics, IsolationLevel isolation) =>
        topics.Sum(t => TopicReader.ReadAll(bootstrap, t, isolation).Count);

    private static string Header(ConsumeResult<byte[]?, byte[]?> record, string key) =>
        record.Message.Headers.TryGetLastBytes(key, out var v) ? Encoding.UTF8.GetString(v) : string.Empty;

    private static async Task WaitUntilAsync(Func<bool> condition, HostProcess service, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            service.HasExited.ShouldBeFalse($"service exited early: {service.Error}");
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(4), $"timed out waiting for {what}; service log: {service.Output} {service.Error}");
            await Task.Delay(200);
        }
    }

    private static async Task ProduceInputAsync(string bootstrap)
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = Input, NumPartitions = 3, ReplicationFactor = 1 }]);
        }

        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true })
            .SetLogHandler(static (_, _) => { }).Build();
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Records; i++)
        {
            producer.Produce(Input, new Message<Null, byte[]> { Value = SyntheticEvents.Next(i, now).Value });
        }

        producer.Flush(TimeSpan.FromSeconds(60)).ShouldBe(0);
    }

    private Dictionary<string, string> Environment(string bootstrap, string secret, string batchInterval) => new()
    {
        ["STREAMMASKING__KAFKA__BOOTSTRAPSERVERS"] = bootstrap,
        ["STREAMMASKING__PIPELINE__INPUTTOPICS__0"] = Input,
        ["STREAMMASKING__PIPELINE__INSTANCEID"] = "crash-test",
        ["STREAMMASKING__PIPELINE__BATCHMAXRECORDS"] = "100000",
        ["STREAMMASKING__PIPELINE__BATCHMAXINTERVAL"] = batchInterval,
        ["STREAMMASKING__PIPELINE__TRANSACTIONTIMEOUT"] = "00:03:00",
        ["STREAMMASKING__TOPICS__PARTITIONS"] = "3",
        // Every record must end up on a masked or the dead-letter topic to be counted: no deliberate drops.
        ["STREAMMASKING__POLICY__FILE"] = TestPolicies.DemoWithoutDrops(_serviceDirectory),
        // Both incarnations share the window state directory, as a pod keeps its volume across restarts.
        ["STREAMMASKING__STATE__DIRECTORY"] = Path.Combine(_serviceDirectory, "state"),
        // The killed consumer's group membership must expire quickly for the restart to get the partitions.
        ["STREAMMASKING__KAFKA__PROPERTIES__SESSION_TIMEOUT_MS"] = "6000",
        ["STREAMMASKING__KAFKA__PROPERTIES__HEARTBEAT_INTERVAL_MS"] = "1000",
        ["STREAMMASKING_MASTER_SECRET"] = secret,
        // The service picks a free HTTP port: a fixed one could be taken on a shared machine.
        ["STREAMMASKING__HTTP__PORT"] = "0",
        ["Logging__LogLevel__Default"] = "Information",
    };
}

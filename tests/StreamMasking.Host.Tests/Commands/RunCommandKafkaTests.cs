using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using StreamMasking.Host.Tests.Support;
using StreamMasking.Testing;

namespace StreamMasking.Host.Tests.Commands;

/// <summary><c>run</c> fails closed on Kafka: no address, a wrong address or a missing input topic stop the start with one message.</summary>
[Collection(KafkaCluster.Collection)]
public sealed class RunCommandKafkaTests(KafkaCluster kafka) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sm-run-kafka-").FullName;

    [Fact]
    public async Task Run_WithoutBootstrapServers_StopsAndSaysHowToSetThemOrRunTheDemo()
    {
        using var service = HostProcess.Start(Environment(string.Empty), "run");

        (await service.WaitAsync(TimeSpan.FromMinutes(1))).ShouldBe(2, service.Output + service.Error);

        service.Error.ShouldContain("StreamMasking:Kafka:BootstrapServers");
        service.Error.ShouldContain("KAFKA_BOOTSTRAP_SERVERS");
        service.Error.ShouldContain("streammasking demo");
        (service.Output + service.Error).ShouldNotContain("Embedded local broker");
    }

    [Theory]
    [InlineData("unreachable")]
    [InlineData("malformed")]
    public async Task Run_BadBootstrapAddress_StopsWithinBoundWithOneMessageNamingTheSetting(string kind)
    {
        // A port nobody listens on, or an address that is not host:port at all.
        var address = kind == "unreachable" ? $"127.0.0.1:{FreePort.Next()}" : "no such host::not-a-port";
        var clock = Stopwatch.StartNew();
        using var service = HostProcess.Start(Environment(address), "run");

        (await service.WaitAsync(TimeSpan.FromMinutes(1))).ShouldBe(2, service.Output + service.Error);

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(45), "the probe is bounded (10 s) plus process start-up");
        var lines = (service.Output + service.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Count(l => l.Contains("StreamMasking:Kafka:BootstrapServers", StringComparison.Ordinal)).ShouldBe(1, string.Join('\n', lines));
        lines.Length.ShouldBe(1, "one message, no client warnings: " + string.Join('\n', lines));
    }

    [Fact]
    public async Task Run_MissingInputTopic_IsAnErrorNamingTheTopicAndTheSettings()
    {
        var topic = KafkaCluster.NewTopicName("absent");
        var environment = Environment(kafka.BootstrapServers);
        environment["STREAMMASKING__PIPELINE__INPUTTOPICS__0"] = topic;
        using var service = HostProcess.Start(environment, "run");

        (await service.WaitAsync(TimeSpan.FromMinutes(1))).ShouldBe(2, service.Output + service.Error);

        service.Error.ShouldContain($"topic '{topic}' does not exist");
        service.Error.ShouldContain("ProvisionInputTopics");
        service.Error.ShouldContain("WaitForInputTopics");
    }

    [Fact]
    public async Task Run_WaitForInputTopics_NotReadyWithAMetricUntilTheTopicExists()
    {
        using var service = ServiceUnderTest.Create(kafka.BootstrapServers);
        service.Environment["STREAMMASKING__TOPICS__PROVISIONINPUTTOPICS"] = "false";
        service.Environment["STREAMMASKING__PIPELINE__WAITFORINPUTTOPICS"] = "true";
        await kafka.CreateTopicAsync(service.PaymentsTopic, partitions: 2);
        await service.StartAsync();
        using var http = new HttpClient { BaseAddress = service.Address };

        var waiting = await Eventually.WaitAsync(async () =>
        {
            var metrics = await http.GetStringAsync("/metrics");
            return metrics.Contains($"streammasking_input_topic_missing{{topic=\"{service.VisitsTopic}\"}} 1", StringComparison.Ordinal) ? metrics : null;
        }, service.Process, "the missing-topic metric");
        waiting.ShouldContain("streammasking_ready 0");
        using (var notReady = await http.GetAsync("/readyz"))
        {
            notReady.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await notReady.Content.ReadAsStringAsync()).ShouldContain($"input topic {service.VisitsTopic} does not exist");
        }

        (await http.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK, "waiting is not a dead process");

        await kafka.CreateTopicAsync(service.VisitsTopic, partitions: 2);
        await Eventually.WaitAsync(async () =>
        {
            using var ready = await http.GetAsync("/readyz");
            return ready.StatusCode == HttpStatusCode.OK ? "ready" : null;
        }, service.Process, "readiness once the topic exists");
        (await http.GetStringAsync("/metrics")).ShouldContain($"streammasking_input_topic_missing{{topic=\"{service.VisitsTopic}\"}} 0");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Dictionary<string, string> Environment(string bootstrap) => new()
    {
        ["STREAMMASKING__KAFKA__BOOTSTRAPSERVERS"] = bootstrap,
        ["KAFKA_BOOTSTRAP_SERVERS"] = string.Empty,
        ["STREAMMASKING__PIPELINE__INPUTTOPICS__0"] = "visits",
        ["STREAMMASKING__POLICY__FILE"] = TestPolicies.DemoPolicyPath,
        ["STREAMMASKING__STATE__DIRECTORY"] = Path.Combine(_directory, "state"),
        ["STREAMMASKING__HTTP__PORT"] = "0",
        ["STREAMMASKING_MASTER_SECRET"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };
}

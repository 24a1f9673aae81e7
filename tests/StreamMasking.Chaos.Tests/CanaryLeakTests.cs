using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using StreamMasking.Testing;
using Xunit.Abstractions;

namespace StreamMasking.Chaos.Tests;

/// <summary>
/// Unique canary values in every sensitive field, in record keys and in headers, through every field action and
/// every output: afterwards no canary appears in any topic the service writes (masked, aggregates, audit,
/// dead letters under the default settings, changelogs), in its logs, or on its HTTP endpoints. The raw input and
/// the repartition topic hold the raw records: there the same scanner must find the canaries (the positive
/// control that shows the scan can see them).
/// </summary>
public sealed class CanaryLeakTests(ITestOutputHelper output)
{
    private const int Records = 600;

    [Fact]
    public async Task EveryOutput_CanariesInEverySensitiveField_NoneLeaks()
    {
        var root = Directory.CreateTempSubdirectory("streammasking-canary-");
        var broker = await BrokerProcess.StartAsync(Path.Combine(root.FullName, "broker"), 0, null, "--auto-create-topics", "false");
        var bootstrap = broker.BootstrapServers;
        ServiceProcess? service = null;
        try
        {
            var prefix = "canary-" + Guid.NewGuid().ToString("N")[..8];
            var input = prefix + "-in";
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
            {
                await admin.CreateTopicsAsync([new TopicSpecification { Name = input, NumPartitions = 3, ReplicationFactor = 1 }]);
            }

            var topology = new ChaosTopology(prefix, input);
            var policy = Path.Combine(root.FullName, "policy.yaml");
            await File.WriteAllTextAsync(policy, PolicyYaml(prefix));
            var port = FreePort();
            service = new ServiceProcess(prefix + "-i1", Path.Combine(root.FullName, "state"), Path.Combine(root.FullName, "service.log"),
                () => topology.RunArguments(bootstrap, policy, prefix + "-i1", Path.Combine(root.FullName, "state"), port),
                new Dictionary<string, string> { ["STREAMMASKING_MASTER_SECRET"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 3)).ToArray()) });
            service.Start();

            var canaries = ProduceCanaries(bootstrap, input);
            await WaitForOutputsAsync(bootstrap, topology, Records + 1);
            var endpoints = await ScrapeEndpointsAsync(port);
            await service.TerminateAsync(TimeSpan.FromSeconds(60));

            var leaks = new List<string>();
            var positives = new List<string>();
            foreach (var topic in CommittedLog.TopicsOf(bootstrap, prefix))
            {
                var raw = topic == input || topic == topology.RepartitionTopic;
                var found = Scan(ReadEverything(bootstrap, topic), canaries);
                output.WriteLine($"{topic}: {found.Count} canaries found{(raw ? " (raw: expected)" : string.Empty)}");
                (raw ? positives : leaks).AddRange(found.Select(c => $"{topic}: {c}"));
            }

            var log = await File.ReadAllTextAsync(service.LogFile);
            leaks.AddRange(canaries.Where(c => log.Contains(c, StringComparison.Ordinal)).Select(c => "service log: " + c));
            foreach (var (path, body) in endpoints)
            {
                if (body.StartsWith("UNREACHABLE", StringComparison.Ordinal))
                {
                    leaks.Add($"GET {path}: {body} (the endpoint must be served to be checked)");
                }

                leaks.AddRange(canaries.Where(c => body.Contains(c, StringComparison.Ordinal)).Select(c => $"GET {path}: {c}"));
            }

            positives.Count(p => p.StartsWith(input + ":", StringComparison.Ordinal)).ShouldBeGreaterThan(Records, "the scanner must see the canaries in the raw input");
            positives.Count(p => p.StartsWith(topology.RepartitionTopic + ":", StringComparison.Ordinal)).ShouldBeGreaterThan(0, "and in the raw repartition topic");
            leaks.ShouldBeEmpty();
        }
        finally
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }

            await broker.DisposeAsync();
            root.Delete(recursive: true);
        }
    }

    private static string PolicyYaml(string prefix) => $$"""
        version: "canary-1"
        maskedTopic: "{{prefix}}.masked.{segment}"
        segments:
          - name: visits
            match: { field: type, equals: visit }
            fields:
              seq: keep
              patient.id: tokenize
              patient.name: drop
              patient.zip: { action: generalize, prefix: 2 }
              patient.email: { action: partial, keepLast: 4 }
              visit.cost: { action: laplace, epsilon: 1, clamp: { min: 0, max: 100000 } }
              visit.kind: { action: randomized-response, epsilon: 1, categories: [checkup, emergency] }
            privacyUnit: { field: patient.id, maxEventsPerWindow: 5, overCap: strip-noised-fields }
            window: { size: 10s, grace: 1s }
            budget: { accountant: basic, perWindow: { epsilon: 2 }, lifetime: { epsilon: 1000 } }
            aggregates:
              - { name: visits, kind: count, epsilon: 0.5, continual: true }
              - { name: cost, kind: sum, field: visit.cost, clamp: { min: 0, max: 100000 }, epsilon: 0.5 }
          - name: notes
            match: { field: type, equals: note }
            fields:
              seq: keep
              author: tokenize
        """;

    /// <summary>
    /// Visits and notes carrying canaries in every field, key and header, plus unmatched and malformed records that
    /// carry them too (dead-lettered without payload), and one late closing record.
    /// </summary>
    private static List<string> ProduceCanaries(string bootstrap, string input)
    {
        var canaries = new List<string>();
        string Canary(string kind, int i)
        {
            var c = string.Create(CultureInfo.InvariantCulture, $"CANARY{kind}{i:D4}{Guid.NewGuid():N}");
            canaries.Add(c);
            return c;
        }

        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true }).Build();
        var t0 = 1_704_067_200_000L;
        for (var i = 0; i < Records; i++)
        {
            var kind = i % 10;
            var value = kind switch
            {
                0 => "{\"type\": \"visit\", \"patient\": {\"name\": \"" + Canary("MALFORMED", i) + "\"", // malformed
                1 => new JsonObject { ["type"] = "unknown", ["secret"] = Canary("UNMATCHED", i) }.ToJsonString(),
                < 8 => new JsonObject
                {
                    ["type"] = "visit", ["seq"] = i,
                    ["patient"] = new JsonObject
                    {
                        ["id"] = Canary("ID", i), ["name"] = Canary("NAME", i), ["zip"] = Canary("ZIP", i), ["email"] = Canary("EMAIL", i) + "@x.org",
                        ["ssn"] = Canary("UNNAMED", i),
                    },
                    ["visit"] = new JsonObject { ["cost"] = 10_000 + i + 0.123456789, ["kind"] = i % 2 == 0 ? "checkup" : "emergency", ["notes"] = Canary("NOTES", i) },
                }.ToJsonString(),
                _ => new JsonObject { ["type"] = "note", ["seq"] = i, ["author"] = Canary("AUTHOR", i), ["body"] = Canary("BODY", i) }.ToJsonString(),
            };
            producer.Produce(input, new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(Canary("KEY", i)),
                Value = Encoding.UTF8.GetBytes(value),
                Headers = new Headers { { "x-trace", Encoding.UTF8.GetBytes(Canary("HEADER", i)) }, { "sm-segment", Encoding.UTF8.GetBytes(Canary("FORGED", i)) } },
                Timestamp = new Timestamp(t0 + (i * 100L), TimestampType.CreateTime),
            });
        }

        // Closes every window, so aggregates are released too.
        producer.Produce(input, new Message<byte[]?, byte[]?>
        {
            Value = Encoding.UTF8.GetBytes(new JsonObject { ["type"] = "visit", ["seq"] = -1, ["patient"] = new JsonObject { ["id"] = "closer" }, ["visit"] = new JsonObject { ["cost"] = 1, ["kind"] = "checkup" } }.ToJsonString()),
            Timestamp = new Timestamp(t0 + (Records * 100L) + 60_000, TimestampType.CreateTime),
        });
        producer.Flush(TimeSpan.FromSeconds(30));
        return canaries;
    }

    /// <summary>Every record of the topic, aborted ones included (read_uncommitted), as key, value and header text.</summary>
    private static List<string> ReadEverything(string bootstrap, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = "canary-scan", IsolationLevel = IsolationLevel.ReadUncommitted,
            EnablePartitionEof = true, EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        var partitions = CommittedLog.Partitions(bootstrap, topic);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var texts = new List<string>();
        var ends = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (ends.Count < partitions.Count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is not { } r)
            {
                continue;
            }

            if (r.IsPartitionEOF)
            {
                ends.Add(r.Partition.Value);
                continue;
            }

            var text = new StringBuilder();
            text.Append(r.Message.Key is null ? string.Empty : Encoding.UTF8.GetString(r.Message.Key)).Append('\n');
            text.Append(r.Message.Value is null ? string.Empty : Encoding.UTF8.GetString(r.Message.Value)).Append('\n');
            foreach (var h in r.Message.Headers ?? [])
            {
                text.Append(h.Key).Append('=').Append(Encoding.UTF8.GetString(h.GetValueBytes())).Append('\n');
            }

            texts.Add(text.ToString());
        }

        return texts;
    }

    private static List<string> Scan(List<string> texts, List<string> canaries)
    {
        var all = string.Join('\n', texts);
        return canaries.Where(c => all.Contains(c, StringComparison.Ordinal)).ToList();
    }

    private static async Task WaitForOutputsAsync(string bootstrap, ChaosTopology topology, int inputs)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var outputs = 0;
            foreach (var topic in CommittedLog.TopicsOf(bootstrap, topology.Prefix + ".masked.").Append(topology.DeadLetterTopic))
            {
                try
                {
                    outputs += CommittedLog.Read(bootstrap, topic, TimeSpan.FromSeconds(30)).Count;
                }
                catch (Exception e) when (e is KafkaException or TimeoutException)
                {
                }
            }

            var releases = CommittedLog.TopicsOf(bootstrap, topology.AggregatesTopic).Count == 0 ? 0
                : CommittedLog.Read(bootstrap, topology.AggregatesTopic, TimeSpan.FromSeconds(30)).Count;
            if (outputs >= inputs && releases > 0)
            {
                return;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, $"{outputs} of {inputs} records have an output, {releases} releases");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The bodies of the service's HTTP endpoints while it runs.</summary>
    private static async Task<List<(string Path, string Body)>> ScrapeEndpointsAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var bodies = new List<(string, string)>();
        foreach (var path in new[] { "/metrics", "/privacy", "/healthz", "/readyz" })
        {
            try
            {
                var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
                bodies.Add((path, await response.Content.ReadAsStringAsync()));
            }
            catch (HttpRequestException e)
            {
                bodies.Add((path, "UNREACHABLE " + e.Message));
            }
        }

        return bodies;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

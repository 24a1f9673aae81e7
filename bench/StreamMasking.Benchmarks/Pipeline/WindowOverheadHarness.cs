using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Broker;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Hosting;

namespace StreamMasking.Benchmarks.Pipeline;

/// <summary>
/// End-to-end cost of DP on the stream, measured in one run: the whole pipeline (route + mask, exactly once, on the
/// local broker over TCP) masks the same records under two policies that differ only in the DP window block (a
/// privacy unit with a per-window cap, 1-minute windows, count/sum/histogram aggregates with a continual total).
/// After a warm-up pair, runs alternate A, B, A, B… so machine load drifts hit both; prints each run and the median
/// throughput ratio. Throughput is input records over the wall time from start to fully drained (committed).
/// </summary>
internal static class WindowOverheadHarness
{
    private const long T0 = 1_704_067_200_000;

    internal static async Task RunAsync(TextWriter output, int records, int rounds)
    {
        await using var broker = await LocalBroker.StartAsync(new LocalBrokerOptions());
        var input = Input(records);
        var plain = new List<double>();
        var windowed = new List<double>();
        output.WriteLine($"records per run: {records}; rounds: {rounds} (after one warm-up round); broker {broker.BootstrapServers}");
        // Warm-up: JIT, broker and RocksDB first-use costs would otherwise land on round 1.
        await RunOnceAsync(broker.BootstrapServers, input, withWindows: false);
        await RunOnceAsync(broker.BootstrapServers, input, withWindows: true);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var withWindows in new[] { false, true })
            {
                var rate = await RunOnceAsync(broker.BootstrapServers, input, withWindows);
                (withWindows ? windowed : plain).Add(rate);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1} {(withWindows ? "windowed" : "plain   ")}: {rate,9:F0} records/s"));
            }
        }

        var a = HarnessStatistics.Median(plain);
        var b = HarnessStatistics.Median(windowed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median plain {a:F0} records/s, windowed {b:F0} records/s, windowed/plain = {b / a:F2}"));
    }

    private static async Task<double> RunOnceAsync(string bootstrap, List<Message<byte[]?, byte[]?>> input, bool withWindows)
    {
        var prefix = "bench" + Guid.NewGuid().ToString("N")[..10];
        var state = Path.Combine(Path.GetTempPath(), prefix);
        var options = new StreamMaskingOptions
        {
            Kafka = { BootstrapServers = bootstrap },
            Pipeline = { InputTopics = [prefix + ".in"], ConsumerGroupId = prefix, TransactionalIdPrefix = prefix, InstanceId = "bench",
                RepartitionTopic = prefix + ".repartition" },
            DeadLetters = { Topic = prefix + ".dlq" },
            Aggregates = { Topic = prefix + ".aggregates" },
            Audit = { Topic = prefix + ".audit" },
            State = { Directory = state },
            Topics = { ProvisionInputTopics = true },
            Secrets = { MasterSecretEnvironmentVariable = "UNUSED" },
            Policy = { File = "bench.yaml" },
        };
        var parsed = PolicyLoader.Parse(Policy(prefix, withWindows), "bench.yaml");
        var policy = parsed.Policy
            ?? throw new InvalidOperationException("The benchmark policy is invalid: " + string.Join("; ", parsed.Diagnostics));
        using var pipeline = MaskingPipeline.Create(options, policy, Enumerable.Repeat((byte)9, 32).ToArray(), NullLoggerFactory.Instance);
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5 }).Build())
        {
            foreach (var message in input)
            {
                producer.Produce(prefix + ".in", message);
            }

            producer.Flush(TimeSpan.FromMinutes(1));
        }

        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var run = pipeline.RunAsync(stop.Token);
        while (true)
        {
            var s = pipeline.Counters.Snapshot();
            if (s.Consumed >= input.Count && s.InFlight == 0)
            {
                break;
            }

            if (run.IsCompleted)
            {
                await run;
                throw new InvalidOperationException("The pipeline stopped early.");
            }

            await Task.Delay(20);
        }

        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await run;
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
        return input.Count / elapsed.TotalSeconds;
    }

    private static List<Message<byte[]?, byte[]?>> Input(int records)
    {
        string[] departments = ["cardiology", "oncology", "emergency", "pediatrics"];
        var messages = new List<Message<byte[]?, byte[]?>>(records);
        for (var i = 0; i < records; i++)
        {
            var body = new JsonObject
            {
                ["type"] = "visit",
                ["eventId"] = "E-" + i,
                ["patient"] = new JsonObject { ["id"] = "P-" + (i % 997), ["age"] = 20 + (i % 60) },
                ["visit"] = new JsonObject { ["cost"] = i % 3000, ["department"] = departments[i % 4] },
            };
            messages.Add(new Message<byte[]?, byte[]?>
            {
                Value = Encoding.UTF8.GetBytes(body.ToJsonString()),
                // 100 records per second of event time: a 1-minute window holds 6,000 records.
                Timestamp = new Timestamp(T0 + (i * 10L), TimestampType.CreateTime),
            });
        }

        return messages;
    }

    private static string Policy(string prefix, bool withWindows) => $$"""
        version: "bench-1"
        maskedTopic: "{{prefix}}.{segment}"
        segments:
          - name: visits
            match: { field: type, equals: visit }
            fields:
              eventId: keep
              patient.id: tokenize
              patient.age: { action: generalize, bucket: 10 }
              visit.cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 5000 } }
              visit.department: keep
        {{(withWindows ? Windows : string.Empty)}}
        """;

    private const string Windows = """
            privacyUnit: { field: patient.id, maxEventsPerWindow: 5, overCap: strip-noised-fields }
            window: { size: 1m, grace: 5s }
            budget: { accountant: basic, perWindow: { epsilon: 2 }, lifetime: { epsilon: 1000 } }
            aggregates:
              - { name: visits, kind: count, epsilon: 0.3, continual: true }
              - { name: cost, kind: sum, field: visit.cost, clamp: { min: 0, max: 5000 }, maxContributionsPerUnit: 5, epsilon: 0.3 }
              - { name: departments, kind: histogram, field: visit.department, domain: [cardiology, oncology, emergency, pediatrics], epsilon: 0.3 }
        """;
}

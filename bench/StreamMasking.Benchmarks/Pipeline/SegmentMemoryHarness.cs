using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Core.Policy;
using StreamMasking.Core.Records;
using StreamMasking.Core.Segmentation;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Hosting;

namespace StreamMasking.Benchmarks.Pipeline;

/// <summary>
/// Resident memory of the service with N active segments. A generated policy declares N segments, each matching one
/// tenant (<c>tenant equals t00042</c>), every second one with a privacy unit, a 1-minute window, a budget and a
/// count aggregate. Records go to every segment (round robin, five privacy units per segment, all in one window of
/// event time), so when every record is committed each segment has published, and each windowed segment holds an
/// open window with per-unit contributions and its budget in the state store.
/// <para>
/// The local broker runs in a process of its own (in memory, no data directory), so the figures are this process's:
/// the pipeline (both stages, their librdkafka clients and RocksDB state) and the harness's producer. The memory is
/// read twice, while the pipeline runs: started and idle (one unmatched record dead-lettered, so stage "route" has
/// joined and committed; stage "mask" given 3 s to join), and with every segment active; each time after a full
/// compacting collection. The difference over N is the cost of an active segment; the idle figure is the cost of the
/// declared (inactive) segments.
/// </para>
/// </summary>
internal static class SegmentMemoryHarness
{
    private const long T0 = 1_704_067_200_000;
    private static int _partitions = 2;
    private const int UnitsPerSegment = 5;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    /// <summary>
    /// Runs with <paramref name="segments"/> segments; <paramref name="partitions"/> per topic (default 2), and with
    /// <paramref name="windowed"/> false no segment has DP windows (no state store: what remains is the clients').
    /// </summary>
    internal static async Task RunAsync(TextWriter output, int segments, int recordsPerSegment, int partitions = 2, bool windowed = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitions);
        _partitions = partitions;
        ArgumentOutOfRangeException.ThrowIfNegative(segments);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(recordsPerSegment);
        using var broker = await BrokerProcess.StartAsync(_partitions);
        var prefix = "seg" + Guid.NewGuid().ToString("N")[..10];
        var state = Path.Combine(Path.GetTempPath(), prefix);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"segments: {segments} ({(windowed ? "every second windowed" : "none windowed")}), records per segment: {recordsPerSegment}, {UnitsPerSegment} privacy units per segment, {_partitions} partitions per topic; broker in process {broker.ProcessId} at {broker.BootstrapServers}; load average {LoadAverage()}"));
        var before = MemoryReading.Take();
        output.WriteLine($"process before the pipeline:  {before}");

        var clock = Stopwatch.StartNew();
        var parsed = PolicyLoader.Parse(Policy(prefix, segments, windowed), "segments.yaml");
        var policy = parsed.Policy
            ?? throw new InvalidOperationException("The benchmark policy is invalid: " + string.Join("; ", parsed.Diagnostics));
        var parse = clock.Elapsed;
        var parsedPolicy = MemoryReading.Take();
        output.WriteLine(RoutingCost(policy, segments));
        clock.Restart();
        using var pipeline = MaskingPipeline.Create(Options(broker.BootstrapServers, prefix, state), policy,
            Enumerable.Repeat((byte)9, 32).ToArray(), NullLoggerFactory.Instance);
        var create = clock.Elapsed;
        var created = MemoryReading.Take();
        clock.Restart();
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        var provision = clock.Elapsed;

        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = broker.BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5,
        }).Build();
        using var stop = new CancellationTokenSource();
        clock.Restart();
        var run = pipeline.RunAsync(stop.Token);
        Produce(producer, prefix + ".in", Record("none", 0, 0));
        await WaitAsync(pipeline, run, 1, TimeSpan.FromMilliseconds(20), clock);
        var started = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var idle = MemoryReading.Take();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"start-up: parse {parse.TotalSeconds:F2} s, create {create.TotalSeconds:F2} s, provision {policy.Segments.Count + 4} topics {provision.TotalSeconds:F2} s, run until the first commit {started.TotalSeconds:F2} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"managed live: the parsed policy {(parsedPolicy.Managed - before.Managed) / 1_048_576.0:F1} MiB, the created pipeline (masker, plans, windowing, not started) {(created.Managed - parsedPolicy.Managed) / 1_048_576.0:F1} MiB more"));
        output.WriteLine($"started, idle:                {idle}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the started pipeline (idle - before): RSS {(idle.Rss - before.Rss) / 1_048_576.0:F1} MiB, managed live {(idle.Managed - before.Managed) / 1_048_576.0:F1} MiB"));

        if (segments > 0)
        {
            var total = segments * recordsPerSegment;
            clock.Restart();
            for (var i = 0; i < total; i++)
            {
                var segment = i % segments;
                Produce(producer, prefix + ".in", Record(Tenant(segment), (i / segments) % UnitsPerSegment, i));
            }

            producer.Flush(Timeout);
            var produced = clock.Elapsed;
            var (at10, at90, done) = await WaitAsync(pipeline, run, total + 1, TimeSpan.FromMilliseconds(50), clock);
            var steady = at90 > at10 ? total * 0.8 / (at90 - at10).TotalSeconds : double.NaN;
            var snapshot = pipeline.Counters.Snapshot();
            var active = snapshot.PublishedBySegment.Count(p => p.Value > 0);
            var active1 = MemoryReading.Take();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"records: {total} produced in {produced.TotalSeconds:F1} s, committed in {done.TotalSeconds:F1} s: {total / done.TotalSeconds:F0} records/s overall, {steady:F0} records/s between 10 % and 90 %; segments published to: {active}; dead-lettered {snapshot.DeadLettered}, dropped {snapshot.Dropped}"));
            output.WriteLine($"every segment active:         {active1}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"per active segment, (active - idle) / {segments}: RSS {(active1.Rss - idle.Rss) / (double)segments:F0} B, managed live {(active1.Managed - idle.Managed) / (double)segments:F0} B"));
        }

        output.WriteLine($"broker process (not included above): VmRSS {MemoryReading.RssOf(broker.ProcessId) / 1_048_576.0:F1} MiB");
        await stop.CancelAsync();
        await run;
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>
    /// Polls until <paramref name="records"/> are through (published, dead-lettered or dropped, committed); the times
    /// on <paramref name="clock"/> at which 10 %, 90 % and all of them were.
    /// </summary>
    private static async Task<(TimeSpan At10, TimeSpan At90, TimeSpan Done)> WaitAsync(MaskingPipeline pipeline, Task run,
        long records, TimeSpan poll, Stopwatch clock)
    {
        // The snapshot copies the per-segment dictionaries: polled sparingly so that it does not load the pipeline.
        TimeSpan? at10 = null, at90 = null;
        while (true)
        {
            var s = pipeline.Counters.Snapshot();
            var n = s.Published + s.DeadLettered + s.Dropped;
            at10 ??= n >= records / 10 ? clock.Elapsed : null;
            at90 ??= n >= records * 9 / 10 ? clock.Elapsed : null;
            if (n >= records)
            {
                return (at10!.Value, at90!.Value, clock.Elapsed);
            }

            if (run.IsCompleted)
            {
                await run;
                throw new InvalidOperationException("The pipeline stopped before every record was through.");
            }

            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"Only {n} of {records} records were through after {Timeout}.");
            }

            await Task.Delay(poll);
        }
    }

    /// <summary>Stage route's segment lookup for records spread over every segment: the equals index against a scan.</summary>
    private static string RoutingCost(PrivacyPolicy policy, int segments)
    {
        var records = Enumerable.Range(0, 2_000)
            .Select(i => new RecordEnvelope("in", null, new JsonObject { ["tenant"] = Tenant(i * 7919 % Math.Max(1, segments)) }))
            .ToList();
        var indexed = PerRecord(new SegmentRouter(policy));
        var linear = PerRecord(new SegmentRouter(policy, useIndex: false));
        return string.Create(CultureInfo.InvariantCulture,
            $"routing (stage route's segment lookup, {records.Count} records over every segment): equals index {indexed:F0} ns/record, linear scan {linear:F0} ns/record");

        double PerRecord(SegmentRouter router)
        {
            var matched = records.Count(r => router.Route(r).IsMatched); // warm-up, and every record must match
            var clock = Stopwatch.StartNew();
            var rounds = 0;
            do
            {
                foreach (var record in records)
                {
                    matched += router.Route(record).IsMatched ? 1 : 0;
                }

                rounds++;
            }
            while (clock.Elapsed < TimeSpan.FromSeconds(1));
            return matched == records.Count * (rounds + 1)
                ? clock.Elapsed.TotalNanoseconds / (rounds * (double)records.Count)
                : throw new InvalidOperationException("A benchmark record matched no segment.");
        }
    }

    private static StreamMaskingOptions Options(string bootstrap, string prefix, string stateDirectory) => new()
    {
        // The default message sizes: the policy-loaded audit event goes out in parts, however many segments.
        Kafka = { BootstrapServers = bootstrap },
        Pipeline =
        {
            InputTopics = [prefix + ".in"], ConsumerGroupId = prefix, TransactionalIdPrefix = prefix, InstanceId = "segments",
            RepartitionTopic = prefix + ".repartition",
        },
        DeadLetters = { Topic = prefix + ".dlq" },
        Aggregates = { Topic = prefix + ".aggregates" },
        Audit = { Topic = prefix + ".audit" },
        State = { Directory = stateDirectory },
        Topics = { ProvisionInputTopics = true, Partitions = _partitions },
        Secrets = { MasterSecretEnvironmentVariable = "UNUSED" },
        Policy = { File = "segments.yaml" },
    };

    private static string Tenant(int segment) => "t" + segment.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>
    /// N segments matching one tenant each (N = 0: one segment that no record reaches); every second one windowed
    /// unless not <paramref name="windowed"/>.
    /// </summary>
    internal static string Policy(string prefix, int segments, bool windowed)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $$"""
            version: "segments-{{segments}}"
            maskedTopic: "{{prefix}}.{segment}"
            segments:

            """);
        for (var i = 0; i < Math.Max(1, segments); i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $$"""
                  - name: s{{i:D5}}
                    match: { field: tenant, equals: {{Tenant(i)}} }
                    fields:
                      eventId: keep
                      patient.id: tokenize
                      patient.age: { action: generalize, bucket: 10 }
                      visit.cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 5000 } }

                """);
            if (windowed && i % 2 == 0)
            {
                yaml.Append("""
                        privacyUnit: { field: patient.id, maxEventsPerWindow: 10, overCap: strip-noised-fields }
                        window: { size: 1m, grace: 5s }
                        budget: { accountant: basic, perWindow: { epsilon: 2 }, lifetime: { epsilon: 1000 } }
                        aggregates:
                          - { name: visits, kind: count, epsilon: 0.3 }

                    """);
            }
        }

        return yaml.ToString();
    }

    /// <summary>A visit of unit <paramref name="unit"/> of the tenant, in the first minute of event time.</summary>
    private static Message<byte[]?, byte[]?> Record(string tenant, int unit, int id)
    {
        var patient = $"P-{tenant}-{unit}";
        var body = new JsonObject
        {
            ["tenant"] = tenant,
            ["eventId"] = "E-" + id.ToString(CultureInfo.InvariantCulture),
            ["patient"] = new JsonObject { ["id"] = patient, ["age"] = 20 + (id % 60) },
            ["visit"] = new JsonObject { ["cost"] = id % 3000 },
        };
        return new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(patient),
            Value = Encoding.UTF8.GetBytes(body.ToJsonString()),
            // Every record in the same 1-minute window, which stays open: the state is that of active segments.
            Timestamp = new Timestamp(T0 + (id % 30_000), TimestampType.CreateTime),
        };
    }

    private static void Produce(IProducer<byte[]?, byte[]?> producer, string topic, Message<byte[]?, byte[]?> message)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message);
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

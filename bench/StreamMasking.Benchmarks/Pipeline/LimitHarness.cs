using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging.Abstractions;
using StreamMasking.Core.Policy;
using StreamMasking.Runtime.Configuration;
using StreamMasking.Runtime.Hosting;

namespace StreamMasking.Benchmarks.Pipeline;

/// <summary>
/// The masking pipeline against the limit of the broker and client, in one run on one local broker (over TCP):
/// a bare exactly-once copy (consume → produce, no work, read_committed, offsets in the transaction, the same
/// transaction size and interval and the same client settings as the pipeline) through one and through two hops,
/// the pipeline with a realistic plain policy (tokenize, generalize, partial, event-level noise on three fields), and
/// the same policy with DP windows (a privacy unit with a per-window cap, count with a continual total, clamped sum,
/// histogram). Every run reads the same preloaded records; runs alternate in rounds so that load drift hits all.
/// <para>
/// Start-up (start until the first committed output) is reported apart from steady-state throughput, which is the
/// rate between 10 % and 90 % of the records being committed at the last hop. Then the latency from produce to
/// visible for a read_committed consumer of the output, at half the measured maximum rate, for the pipeline and the
/// bare 2-hop copy; then the rate of a changelog restore against a raw read of the same changelog topic.
/// </para>
/// </summary>
internal static class LimitHarness
{
    private const long T0 = 1_704_067_200_000;
    private const int Partitions = 6;
    // The product's defaults, for the bare copies and the pipeline alike (`--batch N`, `--interval MS` override both).
    private static int BatchMaxRecords = new PipelineOptions().BatchMaxRecords;
    private static TimeSpan BatchMaxInterval = new PipelineOptions().BatchMaxInterval;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan LatencyWarmUp = TimeSpan.FromSeconds(5);
    private static readonly string[] AllVariants = ["bare 1-hop", "bare 2-hop", "plain", "windowed"];
    private static long _undelivered;
    private static int _streamThreads = 1;
    private static int _segments = 1;

    internal static async Task RunAsync(TextWriter output, int records, int rounds, int streamThreads = 1,
        IReadOnlyCollection<string>? only = null, int? batchMaxRecords = null, TimeSpan? batchMaxInterval = null,
        double? latencyRate = null, int segments = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segments, Departments.Length);
        _segments = segments;
        BatchMaxRecords = batchMaxRecords ?? BatchMaxRecords;
        BatchMaxInterval = batchMaxInterval ?? BatchMaxInterval;
        _streamThreads = streamThreads;
        var variants = only is null
            ? AllVariants
            : AllVariants.Where(v => only.Contains(v.Replace(" ", "", StringComparison.Ordinal).Replace("-hop", "", StringComparison.Ordinal).Replace("bare", "bare-", StringComparison.Ordinal))).ToArray();
        var latencyOnly = only is not null && only.Contains("latency");
        if (variants.Length == 0 && !latencyOnly)
        {
            throw new ArgumentException("--only names none of bare-1, bare-2, plain, windowed, latency.");
        }

        if (latencyOnly && variants.Length == 0 && latencyRate is null)
        {
            throw new ArgumentException("--only latency alone needs --rate (records/s).");
        }

        // The broker in a process of its own with a data directory (segment files, bounded memory): in this process,
        // holding every run's records in memory, its heap grew past a gigabyte and each full collection paused the
        // pipeline and the clients measured here for up to a second (p99 latency about 1 s at 25,000 records/s, of
        // which 2 s of pauses in 25 s).
        var data = Path.Combine(Path.GetTempPath(), "limit-broker-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        using var broker = await BrokerProcess.StartAsync(Partitions, data);
        using var cleanUp = new DirectoryCleanUp(data);
        var bootstrap = broker.BootstrapServers;
        var input = Input(records, 0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"records per run: {records} ({input.Sum(m => m.Value!.Length) / records} B values, {Partitions} partitions); rounds: {rounds} after a warm-up; transactions of ≤ {BatchMaxRecords} records or {BatchMaxInterval.TotalMilliseconds} ms; pipeline stream threads per stage: {streamThreads}; policy segments: {segments}"));
        var steady = variants.ToDictionary(v => v, _ => new List<double>());
        var startup = variants.ToDictionary(v => v, _ => new List<double>());
        string? lastWindowed = null;

        var warmUp = input.Take(Math.Min(records, 20_000)).ToList();
        if (variants.Length == 0)
        {
            await ReportLatencyAsync(output, bootstrap, latencyRate!.Value);
            return;
        }

        foreach (var variant in variants)
        {
            await RunVariantAsync(bootstrap, variant, warmUp);
        }

        for (var round = 1; round <= rounds; round++)
        {
            foreach (var variant in variants)
            {
                var result = await RunVariantAsync(bootstrap, variant, input);
                steady[variant].Add(result.Steady);
                startup[variant].Add(result.Startup.TotalSeconds);
                if (variant == "windowed")
                {
                    lastWindowed = result.Prefix;
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round} {variant,-10}: {result.Steady,9:F0} records/s steady, start-up {result.Startup.TotalSeconds:F2} s, total {result.Total.TotalSeconds:F1} s, {result.Cores:F2} cores busy"));
            }
        }

        var m = variants.ToDictionary(v => v, v => HarnessStatistics.Median(steady[v]));
        output.WriteLine();
        foreach (var variant in variants)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"median {variant,-10}: {m[variant],9:F0} records/s, start-up {HarnessStatistics.Median(startup[variant]):F2} s"));
        }

        if (only is not null)
        {
            if (latencyOnly)
            {
                await ReportLatencyAsync(output, bootstrap, latencyRate ?? (m.TryGetValue("plain", out var plain) ? plain / 2 : 5_000));
            }

            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratios: plain / bare 2-hop = {m["plain"] / m["bare 2-hop"]:F2}, windowed / plain = {m["windowed"] / m["plain"]:F2}, bare 2-hop / bare 1-hop = {m["bare 2-hop"] / m["bare 1-hop"]:F2}"));

        await ReportLatencyAsync(output, bootstrap, latencyRate ?? m["plain"] / 2);

        if (lastWindowed is not null)
        {
            var (raw, restore, restored) = await RestoreAsync(bootstrap, lastWindowed);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"changelog ({restored} records): raw read {raw:F0} records/s, restore {restore:F0} records/s, restore / raw = {restore / raw:F2}"));
        }
    }

    /// <param name="Cores">This process's CPU time over wall time between 10 % and 90 %: clients and pipeline (the broker runs apart).</param>
    private static async Task ReportLatencyAsync(TextWriter output, string bootstrap, double rate)
    {
        var pauseBefore = GC.GetTotalPauseDuration();
        var pipelineLatency = await LatencyAsync(bootstrap, pipeline: true, rate, TimeSpan.FromSeconds(20));
        var pipelinePause = GC.GetTotalPauseDuration() - pauseBefore;
        var bareLatency = await LatencyAsync(bootstrap, pipeline: false, rate, TimeSpan.FromSeconds(20));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency produce → visible (read_committed) at {rate:F0} records/s (half the plain maximum unless --rate), after {LatencyWarmUp.TotalSeconds:F0} s at that rate: pipeline p50 {pipelineLatency.P50:F0} ms p90 {pipelineLatency.P90:F0} ms p99 {pipelineLatency.P99:F0} ms max {pipelineLatency.Max:F0} ms ({pipelineLatency.Count} records; after stage route p50 {pipelineLatency.FirstP50:F0} ms p99 {pipelineLatency.FirstP99:F0} ms); bare 2-hop p50 {bareLatency.P50:F0} ms p99 {bareLatency.P99:F0} ms (after hop 1 p50 {bareLatency.FirstP50:F0} ms p99 {bareLatency.FirstP99:F0} ms); commit interval {BatchMaxInterval.TotalMilliseconds:F0} ms, p99 / interval = {pipelineLatency.P99 / BatchMaxInterval.TotalMilliseconds:F2}; garbage-collection pauses of this process during the pipeline's run {pipelinePause.TotalMilliseconds:F0} ms"));
    }

    private sealed record RunResult(string Prefix, double Steady, TimeSpan Startup, TimeSpan Total, double Cores);

    private static async Task<RunResult> RunVariantAsync(string bootstrap, string variant, List<Message<byte[]?, byte[]?>> input)
    {
        var prefix = "lim" + Guid.NewGuid().ToString("N")[..10];
        await CreateTopicsAsync(bootstrap, [prefix + ".in", prefix + ".mid", prefix + ".out"]);
        Preload(bootstrap, prefix + ".in", input);
        return variant switch
        {
            "bare 1-hop" => await BareCopyAsync(bootstrap, prefix, hops: 1, input.Count),
            "bare 2-hop" => await BareCopyAsync(bootstrap, prefix, hops: 2, input.Count),
            _ => await PipelineAsync(bootstrap, prefix, windowed: variant == "windowed", input.Count),
        };
    }

    private static async Task<RunResult> BareCopyAsync(string bootstrap, string prefix, int hops, int records)
    {
        string[] topics = hops == 1 ? [prefix + ".in", prefix + ".out"] : [prefix + ".in", prefix + ".mid", prefix + ".out"];
        long done = 0;
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, hops).Select(h =>
        {
            var last = h == hops - 1;
            return Task.Factory.StartNew(
                () => CopyLoop(bootstrap, topics[h], topics[h + 1], $"{prefix}-hop{h}", n =>
                {
                    if (last)
                    {
                        Interlocked.Add(ref done, n);
                    }
                }, stop.Token),
                TaskCreationOptions.LongRunning);
        }).ToList();
        var progress = await WatchAsync(clock, () => Interlocked.Read(ref done), records, loops);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return progress with { Prefix = prefix };
    }

    /// <summary>One hop of the bare copy: the pipeline's transaction shape without any work in between.</summary>
    private static void CopyLoop(string bootstrap, string from, string to, string id, Action<int> committed, CancellationToken stop)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = id, EnableAutoCommit = false, EnableAutoOffsetStore = false,
            IsolationLevel = IsolationLevel.ReadCommitted, AutoOffsetReset = AutoOffsetReset.Earliest, EnablePartitionEof = false,
        }).Build();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap, TransactionalId = id, EnableIdempotence = true, Acks = Acks.All,
            TransactionTimeoutMs = 60_000, Partitioner = Partitioner.Murmur2Random,
        }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(30));
        consumer.Subscribe(from);
        var next = new Dictionary<TopicPartition, Offset>();
        while (!stop.IsCancellationRequested)
        {
            var first = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (first is null)
            {
                continue;
            }

            producer.BeginTransaction();
            var began = Stopwatch.StartNew();
            var count = 0;
            for (var record = first; ;)
            {
                if (record is not null)
                {
                    Produce(producer, to, record.Message);
                    next[record.TopicPartition] = record.Offset + 1;
                    count++;
                }

                if (count >= BatchMaxRecords || began.Elapsed >= BatchMaxInterval)
                {
                    break;
                }

                record = consumer.Consume(TimeSpan.FromMilliseconds(Math.Max(1, (BatchMaxInterval - began.Elapsed).TotalMilliseconds)));
            }

            producer.SendOffsetsToTransaction(next.Select(p => new TopicPartitionOffset(p.Key, p.Value)), consumer.ConsumerGroupMetadata,
                TimeSpan.FromSeconds(30));
            producer.CommitTransaction(TimeSpan.FromSeconds(30));
            committed(count);
        }

        consumer.Close();
    }

    private static async Task<RunResult> PipelineAsync(string bootstrap, string prefix, bool windowed, int records)
    {
        using var pipeline = CreatePipeline(bootstrap, prefix, windowed, Path.Combine(Path.GetTempPath(), prefix));
        await pipeline.ProvisionTopicsAsync(CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var run = pipeline.RunAsync(stop.Token);
        var progress = await WatchAsync(clock, () =>
        {
            var s = pipeline.Counters.Snapshot();
            return s.Published + s.DeadLettered + s.Dropped;
        }, records, [run]);
        await stop.CancelAsync();
        await run;
        DeleteState(prefix);
        return progress with { Prefix = prefix };
    }

    private static MaskingPipeline CreatePipeline(string bootstrap, string prefix, bool windowed, string stateDirectory)
    {
        var options = new StreamMaskingOptions
        {
            Kafka = { BootstrapServers = bootstrap },
            Pipeline =
            {
                InputTopics = [prefix + ".in"], ConsumerGroupId = prefix, TransactionalIdPrefix = prefix, InstanceId = "limit",
                RepartitionTopic = prefix + ".repartition", BatchMaxRecords = BatchMaxRecords, BatchMaxInterval = BatchMaxInterval,
                StreamThreads = _streamThreads,
            },
            DeadLetters = { Topic = prefix + ".dlq" },
            Aggregates = { Topic = prefix + ".aggregates" },
            Audit = { Topic = prefix + ".audit" },
            State = { Directory = stateDirectory },
            Topics = { ProvisionInputTopics = true },
            Secrets = { MasterSecretEnvironmentVariable = "UNUSED" },
            Policy = { File = "limit.yaml" },
        };
        var parsed = PolicyLoader.Parse(Policy(prefix, windowed), "limit.yaml");
        var policy = parsed.Policy
            ?? throw new InvalidOperationException("The benchmark policy is invalid: " + string.Join("; ", parsed.Diagnostics));
        return MaskingPipeline.Create(options, policy, Enumerable.Repeat((byte)9, 32).ToArray(), NullLoggerFactory.Instance);
    }

    /// <summary>Samples the committed count every 5 ms until every record is through; start-up and the 10–90 % rate.</summary>
    private static async Task<RunResult> WatchAsync(Stopwatch clock, Func<long> done, int records, IReadOnlyList<Task> workers)
    {
        TimeSpan? first = null, at10 = null, at90 = null;
        TimeSpan cpu10 = default, cpu90 = default;
        while (true)
        {
            var n = done();
            var now = clock.Elapsed;
            if (n > 0)
            {
                first ??= now;
            }

            if (n >= records / 10 && at10 is null)
            {
                at10 = now;
                cpu10 = Environment.CpuUsage.TotalTime;
            }

            if (n >= records * 9L / 10 && at90 is null)
            {
                at90 = now;
                cpu90 = Environment.CpuUsage.TotalTime;
            }

            if (n >= records)
            {
                var span = (at90!.Value - at10!.Value).TotalSeconds;
                return new RunResult("", span > 0 ? records * 0.8 / span : double.NaN, first!.Value, now,
                    span > 0 ? (cpu90 - cpu10).TotalSeconds / span : double.NaN);
            }

            if (workers.FirstOrDefault(w => w.IsCompleted) is { } ended)
            {
                await ended;
                throw new InvalidOperationException("A worker stopped before every record was through.");
            }

            if (now > Timeout)
            {
                throw new TimeoutException($"Only {n} of {records} records were through after {Timeout}.");
            }

            await Task.Delay(5);
        }
    }

    /// <summary>Produce → visible at the output, and at the first hop's output (stage route's repartition topic, or the bare copy's middle topic).</summary>
    private sealed record Latency(double P50, double P90, double P99, double Max, int Count, double FirstP50, double FirstP99);

    private static async Task<Latency> LatencyAsync(string bootstrap, bool pipeline, double rate, TimeSpan duration)
    {
        var prefix = "lat" + Guid.NewGuid().ToString("N")[..10];
        await CreateTopicsAsync(bootstrap, [prefix + ".in", prefix + ".mid", prefix + ".out"]);
        using var stop = new CancellationTokenSource();
        MaskingPipeline? masking = null;
        List<Task> workers;
        IEnumerable<string> output;
        if (pipeline)
        {
            masking = CreatePipeline(bootstrap, prefix, windowed: false, Path.Combine(Path.GetTempPath(), prefix));
            await masking.ProvisionTopicsAsync(CancellationToken.None);
            workers = [masking.RunAsync(stop.Token)];
            output = MaskedTopics(prefix);
        }
        else
        {
            workers =
            [
                Task.Factory.StartNew(() => CopyLoop(bootstrap, prefix + ".in", prefix + ".mid", prefix + "-hop0", _ => { }, stop.Token), TaskCreationOptions.LongRunning),
                Task.Factory.StartNew(() => CopyLoop(bootstrap, prefix + ".mid", prefix + ".out", prefix + "-hop1", _ => { }, stop.Token), TaskCreationOptions.LongRunning),
            ];
            output = [prefix + ".out"];
        }

        // Warm-up: records until the first one is visible at the output (group joined, transactions initialised).
        var sent = new Dictionary<string, long>(StringComparer.Ordinal);
        var sentFirst = new Dictionary<string, long>(StringComparer.Ordinal);
        var latencies = new List<double>();
        var firstHop = new List<double>();
        using var firstReader = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = prefix + "-first-reader", IsolationLevel = IsolationLevel.ReadCommitted,
            AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false, FetchWaitMaxMs = 5, AllowAutoCreateTopics = true,
        }).Build();
        firstReader.Subscribe(pipeline ? prefix + ".repartition" : prefix + ".mid");
        var seen = 0;
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = prefix + "-reader", IsolationLevel = IsolationLevel.ReadCommitted,
            AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false, FetchWaitMaxMs = 5, AllowAutoCreateTopics = true,
        }).Build();
        consumer.Subscribe(output);
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            // A millisecond of linger: at tens of thousands of records per second, one produce request per record would
            // cost the machine more than the pipeline it measures (and it is counted in every latency alike).
            BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All, LingerMs = 1,
        }).Build();
        var warm = Input(200, 9_000_000);
        foreach (var m in warm)
        {
            Produce(producer, prefix + ".in", m);
        }

        producer.Flush(Timeout);
        var deadline = Stopwatch.StartNew();
        while (seen < warm.Count && deadline.Elapsed < Timeout)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not null)
            {
                seen++;
            }
        }

        // The first seconds at the rate are not measured: tiered compilation of the hot path, the first large
        // transactions and the consumers' first fetches at speed are start-up, reported apart as for throughput.
        var warmAtRate = (int)(rate * LatencyWarmUp.TotalSeconds);
        var load = Input(warmAtRate + (int)(rate * duration.TotalSeconds), 0);
        var measured = load.Count - warmAtRate;
        var firstHopReader = Task.Factory.StartNew(() =>
        {
            var idle = Stopwatch.StartNew();
            while (firstHop.Count < measured && idle.Elapsed < TimeSpan.FromSeconds(30))
            {
                if (firstReader.Consume(TimeSpan.FromMilliseconds(50)) is not { } r)
                {
                    continue;
                }

                var arrived = Stopwatch.GetTimestamp();
                idle.Restart();
                long at;
                lock (sent)
                {
                    if (!sentFirst.Remove(EventId(r.Message.Value), out at))
                    {
                        continue;
                    }
                }

                firstHop.Add(Stopwatch.GetElapsedTime(at, arrived).TotalMilliseconds);
            }
        }, TaskCreationOptions.LongRunning);
        var reader = Task.Factory.StartNew(() =>
        {
            var got = 0;
            var idle = Stopwatch.StartNew();
            while (got < measured && idle.Elapsed < TimeSpan.FromSeconds(30))
            {
                var r = consumer.Consume(TimeSpan.FromMilliseconds(50));
                if (r is null)
                {
                    continue;
                }

                var arrived = Stopwatch.GetTimestamp();
                idle.Restart();
                var id = EventId(r.Message.Value);
                long at;
                lock (sent)
                {
                    if (!sent.Remove(id, out at))
                    {
                        continue;
                    }
                }

                latencies.Add(Stopwatch.GetElapsedTime(at, arrived).TotalMilliseconds);
                got++;
            }
        }, TaskCreationOptions.LongRunning);

        var paced = Stopwatch.StartNew();
        for (var i = 0; i < load.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            while (paced.Elapsed < due)
            {
                Thread.Sleep(1);
            }

            if (i >= warmAtRate)
            {
                var id = EventId(load[i].Value!);
                lock (sent)
                {
                    var now = Stopwatch.GetTimestamp();
                    sent[id] = now;
                    sentFirst[id] = now;
                }
            }

            Produce(producer, prefix + ".in", load[i]);
            producer.Poll(TimeSpan.Zero);
        }

        producer.Flush(Timeout);
        await reader;
        await firstHopReader;
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        masking?.Dispose();
        DeleteState(prefix);
        latencies.Sort();
        firstHop.Sort();
        return latencies.Count == 0 || firstHop.Count == 0
            ? new Latency(double.NaN, double.NaN, double.NaN, double.NaN, latencies.Count, double.NaN, double.NaN)
            : new Latency(Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99), latencies[^1], latencies.Count,
                Percentile(firstHop, 0.50), Percentile(firstHop, 0.99));
    }

    /// <summary>Changelog restore of the windowed run's state into an empty state directory, against a raw read.</summary>
    private static async Task<(double Raw, double Restore, long Records)> RestoreAsync(string bootstrap, string prefix)
    {
        List<TopicPartition> partitions;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            partitions = admin.GetMetadata(TimeSpan.FromSeconds(30)).Topics
                .Where(t => t.Topic.StartsWith(prefix, StringComparison.Ordinal) && t.Topic.EndsWith("-changelog", StringComparison.Ordinal))
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))
                .ToList();
        }

        double raw;
        long rawCount = 0;
        using (var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = prefix + "-raw", IsolationLevel = IsolationLevel.ReadCommitted,
            EnableAutoCommit = false, EnablePartitionEof = true,
        }).Build())
        {
            var clock = Stopwatch.StartNew();
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
            var atEnd = new HashSet<TopicPartition>();
            while (atEnd.Count < partitions.Count && clock.Elapsed < Timeout)
            {
                var r = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (r is null)
                {
                    continue;
                }

                if (r.IsPartitionEOF)
                {
                    atEnd.Add(r.TopicPartition);
                }
                else
                {
                    rawCount++;
                }
            }

            raw = rawCount / clock.Elapsed.TotalSeconds;
        }

        var state = Path.Combine(Path.GetTempPath(), prefix + "-restore");
        using var pipeline = CreatePipeline(bootstrap, prefix, windowed: true, state);
        using var stop = new CancellationTokenSource();
        var run = pipeline.RunAsync(stop.Token);
        var wait = Stopwatch.StartNew();
        var stores = partitions.Count;
        while (pipeline.Counters.Snapshot().StoresRestored < stores && wait.Elapsed < Timeout && !run.IsCompleted)
        {
            await Task.Delay(20);
        }

        var snapshot = pipeline.Counters.Snapshot();
        await stop.CancelAsync();
        await run;
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }

        return (raw, snapshot.RecordsRestored / snapshot.RestoreTime.TotalSeconds, snapshot.RecordsRestored);
    }

    private static async Task CreateTopicsAsync(string bootstrap, IEnumerable<string> topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync(topics.Select(t => new TopicSpecification { Name = t, NumPartitions = Partitions, ReplicationFactor = 1 }));
    }

    private static void Preload(string bootstrap, string topic, List<Message<byte[]?, byte[]?>> input)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5, BatchSize = 1_000_000,
        }).Build();
        foreach (var message in input)
        {
            Produce(producer, topic, message);
        }

        if (producer.Flush(Timeout) != 0 || Interlocked.Read(ref _undelivered) != 0)
        {
            throw new InvalidOperationException("The input did not finish loading.");
        }
    }

    /// <summary>Produces, waiting out a full local queue rather than failing (librdkafka's Local: Queue full).</summary>
    private static void Produce(IProducer<byte[]?, byte[]?> producer, string topic, Message<byte[]?, byte[]?> message)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref _undelivered);
                    }
                });
                return;
            }
            catch (ProduceException<byte[]?, byte[]?> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(10));
            }
        }
    }

    /// <summary>Visit records keyed by patient (997 patients), 100 per second of event time, about 330 B each.</summary>
    private static List<Message<byte[]?, byte[]?>> Input(int records, int firstId)
    {
        var messages = new List<Message<byte[]?, byte[]?>>(records);
        for (var i = 0; i < records; i++)
        {
            var patient = "P-" + (i % 997).ToString("D5", CultureInfo.InvariantCulture);
            var body = new JsonObject
            {
                ["type"] = "visit",
                ["eventId"] = "E-" + (firstId + i).ToString(CultureInfo.InvariantCulture),
                ["patient"] = new JsonObject
                {
                    ["id"] = patient, ["name"] = "Name " + patient, ["email"] = $"patient{i % 997}@example.org",
                    ["age"] = 20 + (i % 60), ["zip"] = (10115 + (i % 500)).ToString(CultureInfo.InvariantCulture),
                },
                ["visit"] = new JsonObject
                {
                    ["cost"] = i % 3000, ["minutes"] = 5 + (i % 55), ["heartRate"] = 50 + (i % 90),
                    ["department"] = Departments[i % 4], ["notes"] = "free text that is never published",
                },
            };
            messages.Add(new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(patient),
                Value = Encoding.UTF8.GetBytes(body.ToJsonString()),
                Timestamp = new Timestamp(T0 + (i * 10L), TimestampType.CreateTime),
            });
        }

        return messages;
    }

    private static readonly string[] Departments = ["cardiology", "oncology", "emergency", "pediatrics"];

    // The realistic policy: one segment for every visit, or (`--segments 4`) one per department, each with the same
    // field rules (and windows), so that the stage's records spread over several repartition partitions.
    internal static string Policy(string prefix, bool windowed)
    {
        var segments = _segments == 1
            ? [("visits", "{ field: type, equals: visit }")]
            : Departments.Take(_segments).Select(d => ("visits-" + d, $"{{ field: visit.department, equals: {d} }}")).ToArray();
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"version: \"limit-1\"\nmaskedTopic: \"{prefix}.{{segment}}\"\nsegments:\n");
        foreach (var (name, match) in segments)
        {
            body.Append(CultureInfo.InvariantCulture, $"  - name: {name}\n    match: {match}\n").Append(Fields);
            if (windowed)
            {
                body.Append(Windows);
            }
        }

        return body.ToString();
    }

    private static IEnumerable<string> MaskedTopics(string prefix) =>
        _segments == 1 ? [prefix + ".visits"] : Departments.Take(_segments).Select(d => $"{prefix}.visits-{d}");

    private const string Fields = """
            fields:
              eventId: keep
              patient.id: tokenize
              patient.name: tokenize
              patient.email: { action: partial, keepFirst: 1, keepLast: 4 }
              patient.age: { action: generalize, bucket: 10 }
              patient.zip: { action: generalize, prefix: 3 }
              visit.cost: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 5000 } }
              visit.minutes: { action: laplace, epsilon: 0.5, clamp: { min: 0, max: 240 } }
              visit.heartRate: { action: laplace, epsilon: 0.5, clamp: { min: 30, max: 220 } }
              visit.department: keep

        """;

    private const string Windows = """
            privacyUnit: { field: patient.id, maxEventsPerWindow: 10, overCap: strip-noised-fields }
            window: { size: 1m, grace: 5s }
            budget: { accountant: basic, perWindow: { epsilon: 2 }, lifetime: { epsilon: 1000 } }
            aggregates:
              - { name: visits, kind: count, epsilon: 0.3, continual: true }
              - { name: cost, kind: sum, field: visit.cost, clamp: { min: 0, max: 5000 }, maxContributionsPerUnit: 5, epsilon: 0.3 }
              - { name: departments, kind: histogram, field: visit.department, domain: [cardiology, oncology, emergency, pediatrics], epsilon: 0.3 }

        """;

    private static void DeleteState(string prefix)
    {
        var state = Path.Combine(Path.GetTempPath(), prefix);
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
    }

    // The record's event id, read off its bytes (the same in the input and in the masked output, where it is kept):
    // the reader shares the two cores with what it measures, so it parses nothing.
    private static string EventId(byte[] value)
    {
        var start = value.AsSpan().IndexOf("\"eventId\":\""u8) + 11;
        var length = value.AsSpan(start).IndexOf((byte)'"');
        return Encoding.UTF8.GetString(value, start, length);
    }

    private sealed class DirectoryCleanUp(string path) : IDisposable
    {
        public void Dispose()
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}

// `--counter-table` prints the continual-counter error-factor table (exact, no BenchmarkDotNet run).
if (args is ["--counter-table", ..])
{
    StreamMasking.Benchmarks.ContinualRelease.CounterErrorTable.Print(Console.Out);
    return;
}

// `--pipeline-ratio [records] [rounds]` runs the end-to-end harness: plain masking vs masking with DP windows.
if (args is ["--pipeline-ratio", ..])
{
    var records = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
    var rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
    await StreamMasking.Benchmarks.Pipeline.WindowOverheadHarness.RunAsync(Console.Out, records, rounds);
    return;
}

// `--sampler-ratio [rounds]`: secure samplers against MathNet in alternating blocks (medians of per-round ratios).
if (args is ["--sampler-ratio", ..])
{
    var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 301;
    StreamMasking.Benchmarks.Sampling.SamplerRatioHarness.Run(Console.Out, rounds);
    return;
}

// `--limit [records] [rounds] [--threads N] [--only v1,v2] [--batch N] [--interval MS] [--rate R] [--segments 1..4]`: bare exactly-once copies (1 and 2 hops) against the
// pipeline, plain and windowed, the pipeline with N stream threads per stage (StreamMasking:Pipeline:StreamThreads,
// default 1); then latency at half the maximum rate and changelog restore against a raw read. `--only` runs just the
// named variants (bare-1, bare-2, plain, windowed) and skips latency and restore: a fixed workload to profile.
// `--batch` / `--interval` set the transaction bounds of all variants (default: the product's Pipeline defaults);
// `--only latency --rate R` measures only the latency, at R records/s; `--segments 4` splits the policy's one segment
// into one per department (the same rules), so that stage mask's records spread over several partitions.
if (args is ["--limit", ..])
{
    string? Option(string name) => Array.IndexOf(args, name) is var at and > 0 && at + 1 < args.Length ? args[at + 1] : null;
    int? IntOption(string name) => Option(name) is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
    var streamThreads = IntOption("--threads") ?? 1;
    var only = Option("--only")?.Split(',');
    var batch = IntOption("--batch");
    TimeSpan? interval = IntOption("--interval") is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
    double? rate = Option("--rate") is { } r ? double.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : null;
    var segments = IntOption("--segments") ?? 1;
    var firstOption = Array.FindIndex(args, 1, a => a.StartsWith("--", StringComparison.Ordinal)) is var o and > 0 ? o : args.Length;
    var positional = args[..firstOption];
    var records = positional.Length > 1 ? int.Parse(positional[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
    var rounds = positional.Length > 2 ? int.Parse(positional[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
    await StreamMasking.Benchmarks.Pipeline.LimitHarness.RunAsync(Console.Out, records, rounds, streamThreads, only, batch, interval, rate, segments);
    return;
}

// `--segment-memory <segments> [records-per-segment] [--partitions N] [--plain]`: resident memory, start-up and
// throughput with N active segments (N partitions per topic, default 2; --plain: no segment with DP windows).
if (args is ["--segment-memory", _, ..])
{
    var partitionsAt = Array.IndexOf(args, "--partitions");
    var partitions = partitionsAt > 0 && partitionsAt + 1 < args.Length
        ? int.Parse(args[partitionsAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 2;
    var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal) || a == "--segment-memory").ToArray();
    var segments = int.Parse(positional[1], System.Globalization.CultureInfo.InvariantCulture);
    var perSegment = positional.Length > 2 ? int.Parse(positional[2], System.Globalization.CultureInfo.InvariantCulture) : 10;
    await StreamMasking.Benchmarks.Pipeline.SegmentMemoryHarness.RunAsync(Console.Out, segments, perSegment, partitions,
        windowed: !args.Contains("--plain"));
    return;
}

// `--broker-throughput [records] [rounds]`: the local broker (data directory) against librdkafka's mock cluster.
if (args is ["--broker-throughput", ..])
{
    var records = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
    var rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
    await StreamMasking.Benchmarks.Broker.BrokerThroughputHarness.RunAsync(Console.Out, records, rounds);
    return;
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(StreamMasking.Benchmarks.Pipeline.WindowOverheadHarness).Assembly).Run(args);

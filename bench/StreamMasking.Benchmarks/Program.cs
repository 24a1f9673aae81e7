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

// `--broker-throughput [records] [rounds]`: the local broker (data directory) against librdkafka's mock cluster.
if (args is ["--broker-throughput", ..])
{
    var records = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
    var rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
    await StreamMasking.Benchmarks.Broker.BrokerThroughputHarness.RunAsync(Console.Out, records, rounds);
    return;
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(StreamMasking.Benchmarks.Pipeline.WindowOverheadHarness).Assembly).Run(args);

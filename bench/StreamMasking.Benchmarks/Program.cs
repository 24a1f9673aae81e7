// `--counter-table` prints the continual-counter error-factor table (exact, no BenchmarkDotNet run).
if (args is ["--counter-table", ..])
{
    StreamMasking.Benchmarks.ContinualRelease.CounterErrorTable.Print(Console.Out);
    return;
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

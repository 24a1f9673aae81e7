using BenchmarkDotNet.Attributes;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.ContinualRelease;

namespace StreamMasking.Benchmarks.ContinualRelease;

/// <summary>
/// Cost of one counter step (noise included) at T = 2^16, measured over the <see cref="Steps"/> steps following
/// <see cref="StartStep"/>: O(log T) for the tree, O(t) for the square-root factorization, O(d) for buffered Toeplitz.
/// </summary>
[MemoryDiagnoser]
public class CounterStepBenchmarks
{
    private const int Steps = 256;
    private static readonly byte[] s_key = new byte[32];
    private byte[] _state = [];

    [Params(CounterMechanism.BinaryTreeHonaker, CounterMechanism.SquareRootFactorization, CounterMechanism.BufferedToeplitz)]
    public CounterMechanism Mechanism { get; set; }

    [Params(1024, 32768)]
    public int StartStep { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var counter = ContinualCounter.Create(Options(), s_key);
        for (var i = 0; i < StartStep; i++)
        {
            counter.Release(1);
        }

        _state = counter.ToBytes();
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double Step()
    {
        var counter = ContinualCounter.Restore(_state, s_key);
        var sum = 0.0;
        for (var i = 0; i < Steps; i++)
        {
            sum += counter.Release(1);
        }

        return sum;
    }

    private ContinualCounterOptions Options() => new()
    {
        CounterId = "bench",
        Mechanism = Mechanism,
        Log2Horizon = 16,
        Sensitivity = 1,
        Budget = Mechanism is CounterMechanism.SquareRootFactorization or CounterMechanism.BufferedToeplitz
            ? PrivacyCost.Zcdp(new Rho(0.5))
            : PrivacyCost.Pure(new Epsilon(1)),
    };
}

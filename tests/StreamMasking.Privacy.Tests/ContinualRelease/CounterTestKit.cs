using System.Buffers.Binary;
using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.ContinualRelease;

namespace StreamMasking.Privacy.Tests.ContinualRelease;

internal static class CounterTestKit
{
    /// <summary>A fixed, distinct 32-byte noise key per seed (tests only).</summary>
    public static byte[] Key(ulong seed)
    {
        var key = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(key, seed);
        BinaryPrimitives.WriteUInt64LittleEndian(key.AsSpan(8), 0x5EED5EED5EED5EEDUL);
        return key;
    }

    public static ContinualCounterOptions Options(
        CounterMechanism mechanism,
        int log2Horizon,
        double sensitivity = 1,
        double budget = 1,
        HorizonPolicy horizon = HorizonPolicy.Fixed,
        EpochBudgetSplit split = EpochBudgetSplit.Parallel) => new()
    {
        CounterId = "segment-a/visits/v1",
        Mechanism = mechanism,
        Log2Horizon = log2Horizon,
        Sensitivity = sensitivity,
        Budget = mechanism is CounterMechanism.SquareRootFactorization or CounterMechanism.BufferedToeplitz
            ? PrivacyCost.Zcdp(new Rho(budget))
            : PrivacyCost.Pure(new Epsilon(budget)),
        Horizon = horizon,
        EpochSplit = split,
    };

    /// <summary>Runs <paramref name="runs"/> independently keyed counters on an all-zero stream; returns outputs[run, t].</summary>
    public static double[,] ZeroStreamOutputs(ContinualCounterOptions options, int runs, int steps, ulong seedBase)
    {
        var outputs = new double[runs, steps];
        Parallel.For(0, runs, run =>
        {
            var counter = ContinualCounter.Create(options, Key(seedBase + (ulong)run));
            for (var t = 0; t < steps; t++)
            {
                outputs[run, t] = counter.Release(0);
            }
        });
        return outputs;
    }

    /// <summary>Sample variance (about the true mean 0 is not assumed: unbiased, n − 1) per step.</summary>
    public static double[] SampleVariances(double[,] outputs)
    {
        var runs = outputs.GetLength(0);
        var steps = outputs.GetLength(1);
        var result = new double[steps];
        for (var t = 0; t < steps; t++)
        {
            var mean = 0.0;
            for (var r = 0; r < runs; r++)
            {
                mean += outputs[r, t];
            }

            mean /= runs;
            var sum = 0.0;
            for (var r = 0; r < runs; r++)
            {
                var d = outputs[r, t] - mean;
                sum += d * d;
            }

            result[t] = sum / (runs - 1);
        }

        return result;
    }

    /// <summary>
    /// The largest L2 distance between <paramref name="encode"/> of <paramref name="baseStream"/> and of any neighbour
    /// that adds one of <paramref name="changes"/> at one position.
    /// </summary>
    public static double WorstNeighbourDistance(long[] baseStream, IEnumerable<long> changes, Func<long[], long[]> encode)
    {
        var baseRelease = encode(baseStream);
        var worst = 0.0;
        foreach (var change in changes)
        {
            for (var i = 0; i < baseStream.Length; i++)
            {
                var neighbour = baseStream.ToArray();
                neighbour[i] += change;
                var release = encode(neighbour);
                var squared = 0.0;
                for (var t = 0; t < baseStream.Length; t++)
                {
                    var d = (double)(release[t] - baseRelease[t]);
                    squared += d * d;
                }

                worst = Math.Max(worst, Math.Sqrt(squared));
            }
        }

        return worst;
    }
}

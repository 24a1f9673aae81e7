using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.Distributions;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Benchmarks.Sampling;

/// <summary>
/// `--sampler-ratio [rounds]`: each secure sampler against MathNet's sampler of the same distribution, timed in
/// alternating blocks of 20,000 draws so that both sides of a ratio see the same machine load; prints the median
/// time per draw and the median of the per-round ratios, after a second of warm-up per pair. A companion to
/// <see cref="SamplerBenchmarks"/> for a busy machine, where BenchmarkDotNet's separate runs see different loads.
/// </summary>
public static class SamplerRatioHarness
{
    private const int Block = 20_000;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(1);

    public static void Run(TextWriter output, int rounds)
    {
        ArgumentNullException.ThrowIfNull(output);
        var random = new Random(42);
        var secure = SecureRandomSource.Instance;
        var keyed = new KeyedRandomSource(new byte[32], "benchmark");
        var generator = SecureRandomSource.ThreadGenerator ?? throw new PlatformNotSupportedException("AES-NI needed.");
        var pairs = new (string Name, Func<double> Baseline, Func<double> Secure)[]
        {
            ("discrete Laplace t=2^40 vs MathNet Laplace", () => Laplace.Sample(random, 0, 1), () => DiscreteLaplace.Sample(secure, 1UL << 40, 1UL)),
            ("GranularNoise.AddLaplace b=1 vs MathNet Laplace", () => Laplace.Sample(random, 0, 1), () => GranularNoise.AddLaplace(secure, 12.5, 1.0)),
            ("keyed GranularNoise.AddLaplace vs MathNet Laplace", () => Laplace.Sample(random, 0, 1), () => GranularNoise.AddLaplace(keyed, 12.5, 1.0)),
            ("discrete Gaussian sigma=2^20 vs MathNet Normal", () => Normal.Sample(random, 0, 1), () => DiscreteGaussian.SampleWithIntegerSigma(secure, 1UL << 20)),
            ("GranularNoise.AddGaussian s=1 vs MathNet Normal", () => Normal.Sample(random, 0, 1), () => GranularNoise.AddGaussian(secure, 12.5, 1.0)),
            ("SecureRandomSource.NextUInt64 vs MathNet Laplace", () => Laplace.Sample(random, 0, 1), () => secure.NextUInt64()),
            ("FastKeyErasureGenerator.NextUInt64 vs MathNet Laplace", () => Laplace.Sample(random, 0, 1), () => generator.NextUInt64()),
            ("System.Random.NextInt64 vs MathNet Laplace", () => Laplace.Sample(random, 0, 1), () => random.NextInt64()),
        };

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Alternating blocks of {Block:N0} draws, {rounds} rounds, medians."));
        output.WriteLine("| pair | baseline ns/draw | secure ns/draw | ratio (median of rounds) |");
        output.WriteLine("|---|---:|---:|---:|");
        // Every delegate passes through Time a few times before any pair is timed, so that Time is compiled for a
        // call site that sees them all: otherwise its first optimised version is specialised (devirtualised and
        // inlined) for the first pair's delegates, whose per-draw call then costs less than every later pair's.
        for (var pass = 0; pass < 3; pass++)
        {
            foreach (var (_, baseline, sample) in pairs)
            {
                Time(baseline);
                Time(sample);
            }
        }

        foreach (var (name, baseline, sample) in pairs)
        {
            WarmUp(baseline, sample);
            var baseTimes = new double[rounds];
            var secureTimes = new double[rounds];
            var ratios = new double[rounds];
            for (var r = 0; r < rounds; r++)
            {
                baseTimes[r] = Time(baseline);
                secureTimes[r] = Time(sample);
                ratios[r] = secureTimes[r] / baseTimes[r];
            }

            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {HarnessStatistics.Median(baseTimes):F1} | {HarnessStatistics.Median(secureTimes):F1} | {HarnessStatistics.Median(ratios):F2} |"));
        }
    }

    // Both sides alternate for a second before the timed rounds: long enough for tiered compilation to finish (its
    // background compiles wait for a quiet 100 ms and then for a core, which a loaded machine delays), so that no
    // round times unoptimised code. One block each, as before, was too short on a busy machine: the first pairs then
    // measured tier-0 code on either side.
    private static void WarmUp(Func<double> baseline, Func<double> sample)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < WarmUpTime)
        {
            Time(baseline);
            Time(sample);
        }
    }

    private static double Time(Func<double> draw)
    {
        double sink = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Block; i++)
        {
            sink += draw();
        }

        watch.Stop();
        GC.KeepAlive(sink);
        return watch.Elapsed.TotalNanoseconds / Block;
    }
}

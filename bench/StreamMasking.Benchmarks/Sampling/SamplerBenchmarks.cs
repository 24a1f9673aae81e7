using BenchmarkDotNet.Attributes;
using MathNet.Numerics.Distributions;
using StreamMasking.Privacy.Randomness;
using StreamMasking.Privacy.Sampling;

namespace StreamMasking.Benchmarks.Sampling;

/// <summary>
/// Secure exact samplers against MathNet.Numerics' (insecure, float) Laplace and normal samplers in the same run.
/// Each benchmark draws <see cref="Draws"/> samples; the ratio column is the cost relative to MathNet's Laplace
/// (divide by the MathNet normal row's ratio to compare the Gaussian samplers with their own baseline).
/// </summary>
[MemoryDiagnoser]
public class SamplerBenchmarks
{
    private const int Draws = 1000;

    // Grid units used by GranularNoise for scale 1: t = 2^40 (Laplace), σ = 2^20 (Gaussian).
    private const ulong LaplaceSteps = 1UL << 40;
    private const ulong GaussianSigma = 1UL << 20;

    private readonly Random _systemRandom = new(42);
    private readonly SecureRandomSource _secure = SecureRandomSource.Instance;
    private readonly KeyedRandomSource _keyed = new(new byte[32], "benchmark");

    [Benchmark(Baseline = true, OperationsPerInvoke = Draws)]
    public double MathNetLaplace()
    {
        double sum = 0;
        for (var i = 0; i < Draws; i++)
        {
            sum += Laplace.Sample(_systemRandom, 0, 1);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public double MathNetNormal()
    {
        double sum = 0;
        for (var i = 0; i < Draws; i++)
        {
            sum += Normal.Sample(_systemRandom, 0, 1);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public ulong SecureUInt64()
    {
        ulong sum = 0;
        for (var i = 0; i < Draws; i++)
        {
            sum += _secure.NextUInt64();
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public long SecureDiscreteLaplace()
    {
        long sum = 0;
        for (var i = 0; i < Draws; i++)
        {
            sum += DiscreteLaplace.Sample(_secure, LaplaceSteps, 1UL);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public long SecureDiscreteGaussian()
    {
        long sum = 0;
        for (var i = 0; i < Draws; i++)
        {
            sum += DiscreteGaussian.SampleWithIntegerSigma(_secure, GaussianSigma);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public double SecureGranularLaplace()
    {
        double sum = 0;
        for (var i = 0; i < Draws; i++)
        {
            sum += GranularNoise.AddLaplace(_secure, 12.5, 1.0);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public double SecureGranularGaussian()
    {
        double sum = 0;
        for (var i = 0; i < Draws; i++)
        {
            sum += GranularNoise.AddGaussian(_secure, 12.5, 1.0);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Draws)]
    public double KeyedGranularLaplace()
    {
        double sum = 0;
        for (var i = 0; i < Draws; i++)
        {
            sum += GranularNoise.AddLaplace(_keyed, 12.5, 1.0);
        }

        return sum;
    }
}

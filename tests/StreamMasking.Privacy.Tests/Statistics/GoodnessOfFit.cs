using MathNet.Numerics.Distributions;

namespace StreamMasking.Privacy.Tests.Statistics;

/// <summary>Chi-square goodness of fit of integer samples against an exact PMF, tails merged until each bin expects ≥ 5.</summary>
internal static class GoodnessOfFit
{
    /// <summary>Returns the p-value of the chi-square test of <paramref name="samples"/> against <paramref name="pmf"/>.</summary>
    public static double ChiSquarePValue(IReadOnlyList<long> samples, Func<long, double> pmf, long support)
    {
        var n = samples.Count;
        var counts = new Dictionary<long, long>();
        foreach (var x in samples)
        {
            counts[x] = counts.GetValueOrDefault(x) + 1;
        }

        // Bins: (−∞, −L], each x in (−L, L), [L, ∞), with L the largest point whose own mass expects ≥ 5 samples,
        // so every bin (tails included) expects at least 5.
        var limit = 0L;
        while (limit < support && pmf(limit + 1) * n >= 5 && pmf(-(limit + 1)) * n >= 5)
        {
            limit++;
        }

        double statistic = 0;
        var bins = 0;
        void AddBin(double mass, long observed)
        {
            var expected = mass * n;
            statistic += (observed - expected) * (observed - expected) / expected;
            bins++;
        }

        for (var x = -limit + 1; x <= limit - 1; x++)
        {
            AddBin(pmf(x), counts.GetValueOrDefault(x));
        }

        double upperMass = 0, lowerMass = 0;
        for (var x = limit; x <= support; x++)
        {
            upperMass += pmf(x);
            lowerMass += pmf(-x);
        }

        AddBin(upperMass, counts.Where(kv => kv.Key >= limit).Sum(kv => kv.Value));
        AddBin(lowerMass, counts.Where(kv => kv.Key <= -limit).Sum(kv => kv.Value));
        return 1 - ChiSquared.CDF(bins - 1, statistic);
    }

    /// <summary>Mean, variance and fourth central moment of a symmetric PMF on [−support, support].</summary>
    public static (double Mean, double Variance, double FourthMoment) Moments(Func<long, double> pmf, long support)
    {
        double mean = 0, second = 0, fourth = 0;
        for (var x = -support; x <= support; x++)
        {
            var p = pmf(x);
            mean += x * p;
            second += (double)x * x * p;
            fourth += (double)x * x * x * x * p;
        }

        return (mean, second - (mean * mean), fourth);
    }

    /// <summary>Asserts sample mean and variance are within <paramref name="standardErrors"/> standard errors of theory.</summary>
    public static void AssertMoments(IReadOnlyList<long> samples, Func<long, double> pmf, long support, double standardErrors)
    {
        var (mean, variance, fourth) = Moments(pmf, support);
        var n = samples.Count;
        var sampleMean = samples.Average(x => (double)x);
        var sampleVariance = samples.Sum(x => ((double)x - sampleMean) * ((double)x - sampleMean)) / (n - 1);
        var meanError = Math.Sqrt(variance / n);
        var varianceError = Math.Sqrt((fourth - (variance * variance)) / n);
        Math.Abs(sampleMean - mean).ShouldBeLessThan(standardErrors * meanError, $"mean {sampleMean} vs {mean}");
        Math.Abs(sampleVariance - variance).ShouldBeLessThan(standardErrors * varianceError, $"variance {sampleVariance} vs {variance}");
    }
}

using StreamMasking.Privacy.Accounting;
using StreamMasking.Privacy.Mechanisms;
using StreamMasking.Privacy.Randomness;

namespace StreamMasking.Privacy.Tests.Mechanisms;

public class RandomizedResponseTests
{
    // 10^5 reports of known true counts; every category estimate within 5 of its standard deviations
    // (false-failure rate below 3e-6 for 5 categories).
    [Theory]
    [InlineData(2, 0.5)]
    [InlineData(5, 1.0)]
    public void EstimateCounts_KnownPopulation_Unbiased(int categories, double epsilon)
    {
        var rr = new RandomizedResponse(categories, new Epsilon(epsilon));
        var random = new SeededRandomSource(301);
        const int n = 100_000;
        var truth = new long[categories];
        var reported = new long[categories];
        for (var i = 0; i < n; i++)
        {
            var value = i % 10 < 6 ? 0 : i % categories;
            truth[value]++;
            reported[rr.Report(random, value)]++;
        }

        var estimates = rr.EstimateCounts(reported);
        for (var c = 0; c < categories; c++)
        {
            Math.Abs(estimates[c] - truth[c]).ShouldBeLessThan(5 * rr.EstimateStandardDeviation(truth[c], n));
        }
    }

    [Fact]
    public void Report_TruthProbability_MatchesFormula()
    {
        // Frequency of truthful reports within 5 SE of e^ε/(e^ε + k − 1): false-failure rate below 6e-7.
        var rr = new RandomizedResponse(3, new Epsilon(0.7));
        var random = new SeededRandomSource(302);
        const int n = 200_000;
        var truthful = 0;
        for (var i = 0; i < n; i++)
        {
            truthful += rr.Report(random, 2) == 2 ? 1 : 0;
        }

        var p = rr.TruthProbability;
        p.ShouldBe(Math.Exp(0.7) / (Math.Exp(0.7) + 2), 1e-15);
        Math.Abs(((double)truthful / n) - p).ShouldBeLessThan(5 * Math.Sqrt(p * (1 - p) / n));
    }
}
